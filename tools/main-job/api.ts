import { join } from 'node:path';

/** Every role: the main job registers, starts, reviews and reads. */
const MAIN_JOB_ROLES = ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'];

/** The development issuer's key directory of the local stack: `$BATON_HOME/dev-issuer`. */
export function devIssuerDir(root: string): string {
  return join(process.env.BATON_HOME ?? join(root, '.baton'), 'dev-issuer');
}

/** A minimal client of the gateway's HTTP API, for the main job; it signs in like any client ({@link login}). */
export class GatewayClient {
  /** The bearer token every request carries once {@link login} got one. */
  token = '';

  constructor(readonly baseUrl: string) {}

  /**
   * Asks the local stack's development issuer for a token (`POST /dev-issuer/token`) and sends it from then on.
   * @throws Error when the gateway refuses (it runs without the development issuer)
   */
  async login(subject = 'main-job', roles: readonly string[] = MAIN_JOB_ROLES): Promise<string> {
    this.token = (await this.request<{ access_token: string }>('POST', '/dev-issuer/token', { subject, roles })).access_token;
    return this.token;
  }

  /**
   * @throws Error with the status and the problem details' detail when the answer is not 2xx
   */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(this.token && { authorization: `Bearer ${this.token}` }), ...(body !== undefined && { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
