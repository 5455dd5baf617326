import type { SchemaObject } from '@nestjs/swagger';

/**
 * The rules of the fields {@link FieldReader} reads, as OpenAPI schemas: the one place the
 * document's constraints come from, so the document states what the server checks.
 */

/** The largest PostgreSQL `integer` (int4): every version, page size and id the gateway reads as an integer is at most this. */
export const INT4_MAX = 2_147_483_647;

/** A text field as `FieldReader.string` reads it: not empty, not only white space, at most `maxLength` characters. */
export function textField(maxLength?: number, extra: SchemaObject = {}): SchemaObject {
  return { type: 'string', minLength: 1, pattern: '\\S', ...(maxLength !== undefined && { maxLength }), ...extra };
}

/**
 * An integer as `FieldReader.positiveInt` reads it: 1 to `max` (default {@link INT4_MAX}); in a
 * query, decimal digits with an optional zero fraction (`2`, `2.0`).
 */
export function positiveIntField(max = INT4_MAX, extra: SchemaObject = {}): SchemaObject {
  return { type: 'integer', format: 'int32', minimum: 1, maximum: max, ...extra };
}
