import { DEFAULT_SERVICE_PASSWORD } from './service-role';

/**
 * The LOGIN role the gateway connects as (docs/SECURITY.md, "PostgreSQL"): it reads events,
 * projections, checkpoints and timers, and writes only the registries it serves (workflow
 * definitions and contract schemas, INSERT only: their rows are immutable). It cannot append,
 * change or delete an event, nor write a projection, the inbox, the outbox or a timer.
 */
export const GATEWAY_ROLE = 'baton_gateway';

/** Password given to {@link GATEWAY_ROLE} when the migration creates it and none is passed. */
export const DEFAULT_GATEWAY_PASSWORD = DEFAULT_SERVICE_PASSWORD;

/**
 * The URL of the same server and database as `adminUrl`, for the gateway role.
 * @example gatewayUrl('postgres://baton:baton@127.0.0.1:5433/baton')
 *   // 'postgres://baton_gateway:baton@127.0.0.1:5433/baton'
 */
export function gatewayUrl(adminUrl: string, password: string = DEFAULT_GATEWAY_PASSWORD): string {
  const url = new URL(adminUrl);
  url.username = GATEWAY_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}
