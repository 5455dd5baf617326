/** Headers a problem response carries besides its body (`WWW-Authenticate`, `Retry-After`). */
export interface WithResponseHeaders {
  readonly responseHeaders: Readonly<Record<string, string>>;
}

/**
 * No credential, or one that does not verify (HTTP 401). `WWW-Authenticate` names the schemes
 * (RFC 6750: `error="invalid_token"` when a bearer token was presented and refused).
 */
export class Unauthenticated extends Error implements WithResponseHeaders {
  override readonly name = 'Unauthenticated';
  readonly responseHeaders: Record<string, string>;
  constructor(reason: string, presented: boolean) {
    super(reason);
    const quoted = reason.replace(/["\\]/g, '');
    this.responseHeaders = { 'WWW-Authenticate': presented ? `Bearer realm="baton", error="invalid_token", error_description="${quoted}"` : 'Bearer realm="baton", ApiKey realm="baton" header="X-API-Key"' };
  }
}

/** A verified principal whose roles do not allow the route (HTTP 403). */
export class Forbidden extends Error {
  override readonly name = 'Forbidden';
}

/** The tenant's quota is spent for now (HTTP 429); `Retry-After` in whole seconds. */
export class TooManyRequests extends Error implements WithResponseHeaders {
  override readonly name = 'TooManyRequests';
  readonly responseHeaders: Record<string, string>;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}
