/** Epoch ms as an ISO-8601 string for a `timestamptz` parameter; `null` for none. @internal */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * A value as a `jsonb` parameter (always stringified: pg would turn a JS array into a Postgres
 * array). `undefined` and `null` give SQL `NULL`, as JSON `null` does in `jsonb_to_recordset`.
 * @internal
 */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** SQL for the milliseconds between a row's `scheduled_at` and the `timestamptz` parameter `$n`. @internal */
export function msSinceScheduled(param: string): string {
  return `round(extract(epoch FROM (${param}::timestamptz - scheduled_at)) * 1000)::bigint`;
}
