/** A response as the tests read it: status, headers, and the body parsed as JSON when it is JSON. */
export interface HttpResult<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
  text: string;
}

/** A small HTTP client for one base URL (Node's fetch); `defaultHeaders` (the credential) go with every request unless overridden. */
export function httpClient(base: string, defaultHeaders: Record<string, string> = {}) {
  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const init: RequestInit = { method, headers: { ...defaultHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    return { status: res.status, contentType, headers: res.headers, text, body: /json/.test(contentType) && text ? JSON.parse(text) : text };
  }
  return {
    base,
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => request('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => request('PUT', path, body, headers),
  };
}
