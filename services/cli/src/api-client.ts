import type { ProblemDetails } from './api-types';

/** The gateway answered with problem details (RFC 9457). */
export class ProblemResponse extends Error {
  override readonly name = 'ProblemResponse';
  constructor(readonly problem: ProblemDetails) {
    super(`${problem.title} (${problem.status}): ${problem.detail}`);
  }
}

/** Anything else that stops a command: the gateway unreachable, an unexpected answer, a bad argument. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** A request body and how to send it. */
export interface RequestOptions {
  body?: unknown;
  /** Default `application/json`; a string body is sent as is. */
  contentType?: string;
  accept?: string;
  /** Send no credential (the development issuer's token route). */
  anonymous?: boolean;
}

/**
 * A thin client of the gateway's HTTP API (Node's fetch).
 * @throws ProblemResponse when the gateway answers with problem details
 * @throws CliError when it cannot be reached or answers something else that is not 2xx
 */
export class ApiClient {
  /** @param credential - the headers that authenticate each request (`credentialHeaders()`) */
  constructor(readonly baseUrl: string, private readonly fetchImpl: typeof fetch = fetch, private readonly credential: () => Record<string, string> = () => ({})) {}

  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...(o.anonymous ? {} : this.credential()), accept: o.accept ?? 'application/json' };
    let body: string | undefined;
    if (o.body !== undefined) {
      headers['content-type'] = o.contentType ?? 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(new URL(path, this.baseUrl), { method, headers, ...(body !== undefined && { body }) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the gateway at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); set BATON_URL`);
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    if (type.startsWith('application/problem+json')) throw new ProblemResponse(JSON.parse(text) as ProblemDetails);
    if (!res.ok) throw new CliError(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return (type.includes('json') ? JSON.parse(text) : text) as T;
  }

  get<T>(path: string, accept?: string): Promise<T> {
    return this.request<T>('GET', path, accept ? { accept } : {});
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }
}
