/** Where a value holds text Postgres cannot store, and why. */
export interface UnstorableText {
  /** Dotted path of the offending value from the root (`input.raw`, `tags.2`); a property name's path ends in the name. */
  path: string;
  problem: string;
}

/**
 * Finds the first string (or property name) in a JSON-like value that Postgres cannot store in a
 * `text` or `jsonb` column: a NUL character (U+0000, refused by both: "invalid byte sequence for
 * encoding UTF8: 0x00" and "unsupported Unicode escape sequence"), or a lone UTF-16 surrogate,
 * which is no Unicode character (`jsonb` refuses its `\ud800` escape). Buffers (Avro `bytes`)
 * are not text and are skipped. Walks at most `maxDepth` levels (default 64).
 *
 * @param value - a decoded JSON body or Avro value
 * @param root - the path prefix of `value` (`''` for none)
 * @returns the first problem found, or `undefined` when every string can be stored
 */
export function findUnstorableText(value: unknown, root = '', maxDepth = 64): UnstorableText | undefined {
  const at = (key: string) => (root === '' ? key : `${root}.${key}`);
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path: root || '(value)', problem } : undefined;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Uint8Array || maxDepth <= 0) return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    const keyProblem = Array.isArray(value) ? undefined : textProblem(key);
    if (keyProblem) return { path: at(key.split('\u0000').join('\\u0000')), problem: `its name ${keyProblem}` };
    const found = findUnstorableText(v, at(key), maxDepth - 1);
    if (found) return found;
  }
  return undefined;
}

/** Why one string cannot be stored, or `undefined`. */
function textProblem(s: string): string | undefined {
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (U+0000) at index ${nul}, which PostgreSQL text cannot store`;
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s);
  if (lone) return `contains a lone UTF-16 surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}) at index ${lone.index}, which is not valid Unicode text`;
  return undefined;
}
