/**
 * An Avro value as plain data, the one conversion every decoder of Baton uses (the orchestrator
 * before it records a case input or step output, the step SDK before it calls a handler).
 */

/** Options of {@link toPlain}. */
export interface ToPlainOptions {
  /**
   * JSON data, as the event store keeps it (`jsonb`): `bytes` and `fixed` Buffers become Node's
   * JSON form of a Buffer, `{ "type": "Buffer", "data": [<byte>, ...] }` (what `JSON.stringify`
   * writes, so values recorded before this function existed read the same), and a `float` or
   * `double` that JSON cannot carry (`NaN`, `Infinity`, `-Infinity`) becomes `null`, as
   * `JSON.stringify` makes it (and `-0` becomes `0`). Default false: Buffers stay Buffers and numbers stay as decoded.
   */
  readonly json?: boolean;
}

/**
 * Copies a value decoded with `AVSC_OPTIONS` into plain data: records (instances of avsc's
 * generated classes) and maps become plain objects with `Object.prototype`, arrays stay arrays,
 * and a union is already its branch's value (`wrapUnions: false`), so it is converted as that
 * value. Field order is kept. The input is not modified.
 *
 * @param value - a value avsc decoded (records, arrays, maps, strings, numbers, booleans, `null`, Buffers)
 */
export function toPlain(value: unknown, options: ToPlainOptions = {}): unknown {
  return plain(value, options.json === true);
}

function plain(value: unknown, json: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number') return json && !Number.isFinite(value) ? null : json && Object.is(value, -0) ? 0 : value;
  if (typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return json ? value.toJSON() : value;
  if (Array.isArray(value)) return value.map((v) => plain(v, json));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, json);
  return out;
}
