/**
 * The one place avsc types are built, with Baton's avsc options chosen explicitly.
 */
import { Type } from 'avsc';
import { AvroSchemaError } from './errors';

/**
 * The avsc options every Baton type is parsed with:
 * - `wrapUnions: false`: a union value is the plain branch value (`null`, `"text"`, `{...}`),
 *   never `{ "string": "text" }`. avsc then refuses ambiguous unions (two branches that map to
 *   the same JavaScript kind, e.g. `["int","long"]` or two records); use `["null", X]` or
 *   unions of distinct kinds.
 * - no `logicalTypes`: logical types read as their underlying type. `timestamp-millis` is a
 *   JavaScript `number` of epoch milliseconds; `long` is a `number`, exact only up to
 *   `Number.MAX_SAFE_INTEGER` (2^53 - 1): avsc refuses to read or write a long past it.
 *   `bytes` and `fixed` are Node `Buffer`s.
 * - `omitRecordMethods: true`: decoded records are instances of avsc's generated record classes
 *   carrying only their fields (no `toBuffer` etc.); spread them (`{ ...value }`) to get a plain object.
 */
export const AVSC_OPTIONS = Object.freeze({ wrapUnions: false as const, omitRecordMethods: true });

/**
 * Parses a schema into an avsc `Type` with {@link AVSC_OPTIONS}.
 *
 * @param schema - JSON text, parsed JSON, or an existing avsc `Type` (returned as is)
 * @throws AvroSchemaError when avsc refuses the schema (syntax, unknown reference, ambiguous union)
 */
export function createType(schema: string | object | Type): Type {
  if (Type.isType(schema)) return schema as Type;
  let parsed: unknown = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch (e) {
      throw new AvroSchemaError(undefined, `schema text is not JSON: ${(e as Error).message}`);
    }
  }
  const name = typeof parsed === 'object' && parsed !== null && 'name' in parsed ? String((parsed as { name: unknown }).name) : undefined;
  try {
    return Type.forSchema(parsed as never, { ...AVSC_OPTIONS, registry: {} });
  } catch (e) {
    throw new AvroSchemaError(name, (e as Error).message);
  }
}

/** The full name of a named type, or its type name (`"string"`, `"array"`, ...) when anonymous. */
export function typeLabel(type: Type): string {
  return type.name ?? type.typeName;
}
