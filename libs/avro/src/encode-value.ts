/**
 * Validated Avro binary encoding of one value, with every offending field path named.
 */
import { type Type } from 'avsc';
import { AvroEncodeError, type AvroFieldProblem } from './errors';
import { typeLabel } from './create-type';

function short(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Buffer.isBuffer(value)) return `<Buffer ${value.length} bytes>`;
  let s: string;
  try {
    s = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function expected(type: Type): string {
  const s = type.schema();
  const text = typeof s === 'string' ? s : JSON.stringify(s);
  return type.name ?? (text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Options of {@link validationProblems} and {@link encodeBody}. */
export interface ValidationOptions {
  /**
   * Also refuse record fields the schema does not declare (avsc would drop them silently), each
   * named by its path with `expected: 'no such field'`. For values built by hand or by an
   * expression, where an unknown field is a typo of a known one.
   */
  noUndeclaredFields?: boolean;
}

/** Why `value` does not match `type`: one entry per offending leaf path (empty when it matches). */
export function validationProblems(type: Type, value: unknown, options: ValidationOptions = {}): AvroFieldProblem[] {
  const problems: AvroFieldProblem[] = [];
  type.isValid(value, {
    errorHook: (path: string[], any: unknown, t: Type) => {
      problems.push({ path: path.join('.'), expected: expected(t), actual: short(any) });
    },
  });
  if (options.noUndeclaredFields) undeclared(type, value, [], problems);
  return problems;
}

/** Walks records (through arrays, maps and nullable unions) and reports keys no field declares. */
function undeclared(type: Type, value: unknown, path: string[], out: AvroFieldProblem[]): void {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  const t = type as Type & { typeName: string; fields?: { name: string; type: Type }[]; itemsType?: Type; valuesType?: Type; types?: Type[] };
  if (t.typeName === 'record' || t.typeName === 'error') {
    const fields = new Map((t.fields ?? []).map((f) => [f.name, f.type]));
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const ft = fields.get(key);
      if (ft) undeclared(ft, v, [...path, key], out);
      else out.push({ path: [...path, key].join('.'), expected: 'no such field', actual: short(v) });
    }
  } else if (t.typeName === 'array' && Array.isArray(value) && t.itemsType) {
    value.forEach((v, i) => undeclared(t.itemsType!, v, [...path, String(i)], out));
  } else if (t.typeName === 'map' && t.valuesType) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) undeclared(t.valuesType, v, [...path, k], out);
  } else if (t.typeName.startsWith('union') && t.types) {
    const branch = t.types.find((b) => b.typeName !== 'null' && b.isValid(value));
    if (branch) undeclared(branch, value, path, out);
  }
}

/**
 * The Avro binary encoding of a value (no header).
 * @throws AvroEncodeError naming each field path whose value does not match the schema
 */
export function encodeBody(type: Type, value: unknown, options: ValidationOptions = {}): Buffer {
  const problems = validationProblems(type, value, options);
  if (problems.length > 0) throw new AvroEncodeError(typeLabel(type), problems);
  try {
    return type.toBuffer(value);
  } catch (e) {
    throw new AvroEncodeError(typeLabel(type), [{ path: '', expected: expected(type), actual: (e as Error).message }]);
  }
}
