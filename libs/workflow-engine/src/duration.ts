import { parse } from 'tinyduration';

/** Thrown by {@link parseDuration} for text that is not a usable ISO-8601 duration. */
export class InvalidDuration extends Error {
  constructor(readonly text: string, reason: string) {
    super(`'${text}' is not a valid ISO-8601 duration: ${reason}`);
    this.name = 'InvalidDuration';
  }
}

const MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;

/**
 * Converts an ISO-8601 duration (`PT30S`, `PT1M30S`, `P1DT2H`, `PT0.5S`) to milliseconds.
 *
 * Only fixed-length units are accepted (weeks, days, hours, minutes, seconds); years and months
 * have no fixed length, so `P1M` is refused rather than guessed. Days are taken as 24 hours.
 *
 * @returns the duration in ms, rounded to a whole ms, > 0
 * @throws {InvalidDuration} when the text does not parse, is negative, zero, or uses years/months
 */
export function parseDuration(text: string): number {
  let d: ReturnType<typeof parse>;
  try {
    d = parse(text);
  } catch {
    return fail(text, 'expected the form PnDTnHnMnS, e.g. PT30S');
  }
  if (d.negative) return fail(text, 'it is negative');
  if (d.years || d.months) return fail(text, 'years and months have no fixed length; use days or weeks');
  const ms = Math.round(
    (d.weeks ?? 0) * MS.weeks + (d.days ?? 0) * MS.days + (d.hours ?? 0) * MS.hours +
      (d.minutes ?? 0) * MS.minutes + (d.seconds ?? 0) * MS.seconds,
  );
  if (!(ms > 0)) return fail(text, 'it must be longer than zero');
  return ms;
}

function fail(text: string, reason: string): never {
  throw new InvalidDuration(text, reason);
}
