/**
 * Checks a count or limit given by a caller.
 * @throws RangeError unless `value` is an integer >= `min`.
 * @internal
 */
export function positiveInt(value: number, what: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${what} must be an integer >= ${min}, got ${value}`);
  return value;
}
