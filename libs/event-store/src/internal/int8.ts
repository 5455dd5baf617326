/**
 * Converts a Postgres `bigint` (which pg returns as a decimal string) to a JS number.
 * @throws RangeError when the value is past `Number.MAX_SAFE_INTEGER` (2^53 - 1), which a
 *   position or an outbox id reaches only after about 9 * 10^15 rows.
 * @internal
 */
export function int8(value: string | number, what: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${String(value)} is not a safe integer`);
  return n;
}
