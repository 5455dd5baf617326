/**
 * An Avro value as plain data: avsc decodes records as instances of generated classes; handlers
 * and their tests get plain objects. Buffers (`bytes`, `fixed`) stay Buffers.
 * @internal
 */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}
