// The gateway's HTTP API as the console uses it: same origin, JSON in and out, problem details on errors.

/** An RFC 9457 problem answered by the gateway (status, title, detail, errors[{field, message}]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

const TOKEN_KEY = 'baton.token';

/** The bearer token of this tab (sessionStorage: gone when the tab closes), or null. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keeps `value` as this tab's token (null signs out) and tells the app (`baton-auth` event). */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  window.dispatchEvent(new Event('baton-auth'));
}

/** The claims of a JWT, read without verifying (the gateway verifies): for showing who is signed in. */
export function claims(jwt) {
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

/** Sends one request with this tab's token; resolves with the JSON body, rejects with an ApiError (a 401 signs out). */
export async function api(method, path, body) {
  const bearer = token();
  const res = await fetch(path, {
    method,
    headers: { accept: 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status === 401 && bearer) setToken(null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** A query string from the defined, non-empty values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
