/**
 * A point in time given as a `Date` or as epoch milliseconds, returned as a `Date`.
 * @throws TypeError when the value is not a valid time.
 * @internal
 */
export function instant(value: Date | number, what: string): Date {
  const d = typeof value === 'number' ? new Date(value) : value;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${what} is not a valid time: ${String(value)}`);
  return d;
}
