/**
 * Parsing Canonical Form of an Avro schema, per the Avro specification 1.11, section
 * "Parsing Canonical Form for Schemas". Implemented here rather than taken from avsc, whose
 * `Type.schema()` keeps attributes the form strips and does not promise the form's key order.
 *
 * The transformation rules of the specification:
 * - [PRIMITIVES] `{"type":"int"}` becomes `"int"`.
 * - [FULLNAMES] names become full names, using the enclosing namespace; `namespace` is dropped.
 * - [STRIP] only `type`, `name`, `fields`, `symbols`, `items`, `values`, `size` are kept
 *   (so `doc`, `aliases`, `default`, `order`, `logicalType` and other attributes go).
 * - [ORDER] keys in the order `name`, `type`, `fields`, `symbols`, `items`, `values`, `size`.
 * - [STRINGS] strings are written with their characters, not `\uXXXX` escapes (JSON.stringify
 *   escapes only `"`, `\` and control characters, which names and symbols cannot contain).
 * - [INTEGERS] `size` without leading zeros or sign.
 * - [WHITESPACE] no whitespace outside strings.
 * A named type seen earlier in the schema is written as its full name only.
 */
import { Type } from 'avsc';
import { AvroSchemaError } from './errors';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** A schema as JSON text, as parsed JSON, or as an avsc `Type`. */
export type SchemaInput = string | object | Type;

function fullName(name: string, namespace: string | undefined): string {
  if (name.includes('.') || !namespace) return name;
  return `${namespace}.${name}`;
}

function namespaceOf(full: string): string | undefined {
  const i = full.lastIndexOf('.');
  return i < 0 ? undefined : full.slice(0, i);
}

function str(s: string): string {
  return JSON.stringify(s);
}

function canon(schema: unknown, namespace: string | undefined, seen: Set<string>): string {
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return str(schema);
    return str(fullName(schema, namespace));
  }
  if (Array.isArray(schema)) return `[${schema.map((s) => canon(s, namespace, seen)).join(',')}]`;
  if (schema === null || typeof schema !== 'object') {
    throw new AvroSchemaError(undefined, `not a schema: ${JSON.stringify(schema)}`);
  }
  const s = schema as Record<string, unknown>;
  const type = s['type'];
  if (typeof type !== 'string') return canon(type, namespace, seen);
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed': {
      if (typeof s['name'] !== 'string') throw new AvroSchemaError(undefined, `a ${type} needs a name`);
      const ns = typeof s['namespace'] === 'string' && s['namespace'] !== '' ? s['namespace'] : s['namespace'] === '' ? undefined : namespace;
      const name = fullName(s['name'], ns);
      if (seen.has(name)) return str(name);
      seen.add(name);
      const head = `{"name":${str(name)},"type":${str(type)}`;
      if (type === 'enum') {
        const symbols = (s['symbols'] as unknown[] | undefined) ?? [];
        return `${head},"symbols":[${symbols.map((x) => str(String(x))).join(',')}]}`;
      }
      if (type === 'fixed') return `${head},"size":${String(Number(s['size']))}}`;
      const inner = namespaceOf(name);
      const fields = (s['fields'] as Array<Record<string, unknown>> | undefined) ?? [];
      const out = fields.map((f) => `{"name":${str(String(f['name']))},"type":${canon(f['type'], inner, seen)}}`);
      return `${head},"fields":[${out.join(',')}]}`;
    }
    case 'array':
      return `{"type":"array","items":${canon(s['items'], namespace, seen)}}`;
    case 'map':
      return `{"type":"map","values":${canon(s['values'], namespace, seen)}}`;
    default:
      // A primitive ({"type":"int", "logicalType": ...}) or a reference to a named type.
      return canon(type, namespace, seen);
  }
}

/**
 * The Parsing Canonical Form of a schema (Avro specification 1.11, "Parsing Canonical Form").
 *
 * @param schema - JSON text, parsed JSON, or an avsc `Type` (read through `type.schema()`,
 *   which writes full names)
 * @returns the canonical JSON text, e.g. `{"name":"x.y.foo","type":"record","fields":[]}`
 * @throws AvroSchemaError when the input is not JSON or not shaped like a schema
 */
export function canonicalForm(schema: SchemaInput): string {
  let parsed: unknown = schema;
  if (Type.isType(schema)) parsed = (schema as Type).schema();
  else if (typeof schema === 'string') {
    const t = schema.trim();
    // A bare name like `int` or `x.Foo` is accepted as well as JSON text.
    if (t.startsWith('"') || t.startsWith('{') || t.startsWith('[')) {
      try {
        parsed = JSON.parse(t);
      } catch (e) {
        throw new AvroSchemaError(undefined, `schema text is not JSON: ${(e as Error).message}`);
      }
    } else parsed = t;
  }
  return canon(parsed, undefined, new Set());
}
