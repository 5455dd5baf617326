/** The LOGIN role services connect as: it may read and append events, never change them. */
export const SERVICE_ROLE = 'baton_service';

/** Password given to {@link SERVICE_ROLE} when a migration creates it and none is passed. */
export const DEFAULT_SERVICE_PASSWORD = 'baton';

/**
 * The URL of the same server and database as `adminUrl`, for the service role.
 * Query parameters (`sslmode`...) are kept.
 * @example serviceUrl('postgres://baton:baton@127.0.0.1:5433/baton')
 *   // 'postgres://baton_service:baton@127.0.0.1:5433/baton'
 */
export function serviceUrl(adminUrl: string, password: string = DEFAULT_SERVICE_PASSWORD): string {
  const url = new URL(adminUrl);
  url.username = SERVICE_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}
