/**
 * What an append expects of its stream, checked atomically with the insert:
 * - a number `n >= 0`: the stream's last position is exactly `n` (`0`: the stream is empty);
 * - `'no-stream'`: the stream has no event yet (the same as `0`);
 * - `'any'`: no check (a concurrent append can still make the insert conflict).
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

/**
 * The version to compare with, or `null` for `'any'`.
 * @throws RangeError for a negative or non-integer number.
 * @internal
 */
export function expectedAsNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no-stream') return 0;
  if (!Number.isInteger(expected) || expected < 0) {
    throw new RangeError(`expected version must be an integer >= 0, 'no-stream' or 'any', got ${String(expected)}`);
  }
  return expected;
}
