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

/** Why `value` does not match `type`: one entry per offending leaf path (empty when it matches). */
export function validationProblems(type: Type, value: unknown): AvroFieldProblem[] {
  const problems: AvroFieldProblem[] = [];
  type.isValid(value, {
    errorHook: (path: string[], any: unknown, t: Type) => {
      problems.push({ path: path.join('.'), expected: expected(t), actual: short(any) });
    },
  });
  return problems;
}

/**
 * The Avro binary encoding of a value (no header).
 * @throws AvroEncodeError naming each field path whose value does not match the schema
 */
export function encodeBody(type: Type, value: unknown): Buffer {
  const problems = validationProblems(type, value);
  if (problems.length > 0) throw new AvroEncodeError(typeLabel(type), problems);
  try {
    return type.toBuffer(value);
  } catch (e) {
    throw new AvroEncodeError(typeLabel(type), [{ path: '', expected: expected(type), actual: (e as Error).message }]);
  }
}
