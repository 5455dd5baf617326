/**
 * A non-negative integer from the environment, or `fallback` when unset or empty.
 * @throws Error naming the variable when the value is not a non-negative integer
 */
export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

/**
 * A boolean from the environment (`true`/`false`/`1`/`0`), or `fallback` when unset or empty.
 * @throws Error naming the variable for any other value
 */
export function envBool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!['true', 'false', '1', '0'].includes(raw)) throw new Error(`${name} must be true or false, got '${raw}'`);
  return raw === 'true' || raw === '1';
}

/**
 * The interface a service's HTTP server binds (`HOST`): loopback by default, so a developer's
 * machine exposes nothing; a container sets `HOST=0.0.0.0` so Prometheus can scrape it.
 */
export function envHost(env: NodeJS.ProcessEnv): string {
  return env.HOST?.trim() || '127.0.0.1';
}
