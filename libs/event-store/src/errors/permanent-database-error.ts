/**
 * True for a PostgreSQL error that no retry can fix because it is about the data itself (its
 * SQLSTATE, https://www.postgresql.org/docs/current/errcodes-appendix.html): class 22, data
 * exception (`22P05` untranslatable character, `22021` invalid byte sequence, `22003` numeric
 * value out of range, `22001` string too long, ...), and the integrity violations that the same
 * row will always hit: `23502` not null and `23514` check. Unique (`23505`) and foreign-key
 * (`23503`) violations are left retryable: in this store they come from races between writers.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return code.startsWith('22') || code === '23502' || code === '23514';
}
