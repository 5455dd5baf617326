/**
 * Currency-safe arithmetic: amounts are integer minor units (cents), computed with `BigInt` so no
 * binary fraction ever enters a total; rates are integer basis points (1 bp = 0.01 %).
 */

/**
 * Tax on `amountMinor` at `rateBasisPoints`, rounded half away from zero to the minor unit.
 * @throws RangeError naming the argument when it is not a safe integer, or is negative
 */
export function taxMinor(amountMinor: number, rateBasisPoints: number): number {
  const a = safeInteger(amountMinor, 'amountMinor');
  const r = safeInteger(rateBasisPoints, 'taxRateBasisPoints');
  const scaled = a * r; // in 1/10 000 of a minor unit
  const q = scaled / 10_000n;
  const rest = scaled % 10_000n;
  return Number(rest * 2n >= 10_000n ? q + 1n : q);
}

/** `123456` minor units of EUR as `EUR 1,234.56` (two decimals: ISO 4217 minor unit of EUR and USD). */
export function formatMinor(amountMinor: number, currency: string): string {
  const a = safeInteger(amountMinor, 'amountMinor');
  const units = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${units}.${(a % 100n).toString().padStart(2, '0')}`;
}

function safeInteger(n: number, field: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${field} must be a non-negative safe integer (minor units), got ${n}`);
  return BigInt(n);
}
