/**
 * The field builders every HTTP body is made of: JSON Schema (OpenAPI 3.0 dialect: `nullable`)
 * written with TypeBox, so one value is the validator's schema, the document's schema and, through
 * `Static`, the TypeScript type.
 */
import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** The largest PostgreSQL `integer` (int4): every version, page size and id the gateway reads as an integer is at most this. */
export const INT4_MAX = 2_147_483_647;

/** A text field: not empty, not only white space (`pattern: \S`), at most `maxLength` characters when given. */
export function Text(maxLength?: number, options: SchemaOptions = {}) {
  return Type.String({ minLength: 1, pattern: '\\S', ...(maxLength !== undefined && { maxLength }), ...options });
}

/** An integer from 1 to `max` (default {@link INT4_MAX}, the database's `integer`): out of range is refused, never clamped. */
export function PositiveInt(max = INT4_MAX, options: SchemaOptions = {}) {
  return Type.Integer({ format: 'int32', minimum: 1, maximum: max, ...options });
}

/** `schema` or `null` (OpenAPI 3.0 `nullable: true`, which ajv reads too). */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** Any JSON value, `null` included. */
export const AnyJson = Type.Unsafe<unknown>({ description: 'any JSON value', nullable: true });

/** Any JSON object. */
export function JsonObject(options: SchemaOptions = {}) {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', ...options });
}

/** An object whose every property is a `value` (OpenAPI `additionalProperties`). */
export function MapOf<T extends TSchema>(value: T, options: SchemaOptions = {}): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, ...options });
}

/** One of `values` (a string enum). */
export function OneOf<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Str = () => Type.String();
export const Int = () => Type.Integer();
export const Bool = () => Type.Boolean();
export const Time = () => Type.String({ format: 'date-time' });
export const NStr = () => Nullable(Type.String());
export const NTime = () => Nullable(Type.String({ format: 'date-time' }));
export const NInt = () => Nullable(Type.Integer());
export const NNum = () => Nullable(Type.Number());
