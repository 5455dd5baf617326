import { ValidationProblem, type FieldError } from '../errors/validation-problem';
import { INT4_MAX } from './field-rules';

/**
 * Reads the fields of a JSON body or a query string, one explicit call per field, collecting
 * every problem; {@link FieldReader.done} throws them together as a {@link ValidationProblem}.
 *
 * ```ts
 * const r = FieldReader.body(req.body);
 * const workflow = r.string('workflow', { required: true });
 * const version = r.positiveInt('version');
 * r.done();
 * ```
 */
export class FieldReader {
  private readonly errors: FieldError[] = [];

  private constructor(private readonly values: Record<string, unknown>, private readonly fromQuery: boolean) {}

  /** A reader over a JSON body; anything but a JSON object is one problem on field `(body)`. */
  static body(body: unknown): FieldReader {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      const reader = new FieldReader({}, false);
      reader.errors.push({ field: '(body)', message: 'must be a JSON object (Content-Type: application/json)' });
      return reader;
    }
    return new FieldReader(body as Record<string, unknown>, false);
  }

  /** A reader over query parameters, whose values are strings (a repeated parameter is a problem). */
  static query(query: unknown): FieldReader {
    return new FieldReader((query ?? {}) as Record<string, unknown>, true);
  }

  /** Whether the field is present (not undefined; `null` counts as present in a body). */
  has(field: string): boolean {
    return this.values[field] !== undefined;
  }

  /** A non-empty string; `undefined` when absent and not required. */
  string(field: string, o: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const v = this.values[field];
    if (v === undefined || (this.fromQuery && v === '')) return this.missing(field, o.required);
    if (typeof v !== 'string') return this.fail(field, this.fromQuery ? 'must be given once' : `must be a string, got ${describe(v)}`);
    if (v.trim() === '') return this.fail(field, 'must not be empty');
    if (o.maxLength !== undefined && v.length > o.maxLength) return this.fail(field, `must be at most ${o.maxLength} characters`);
    return v;
  }

  /** One of `allowed`; `undefined` when absent and not required. */
  oneOf<T extends string>(field: string, allowed: readonly T[], o: { required?: boolean } = {}): T | undefined {
    const v = this.string(field, o);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) return this.fail(field, `must be one of ${allowed.join(', ')}, got '${v}'`);
    return v as T;
  }

  /**
   * An integer from 1 to `o.max`, by default {@link INT4_MAX} (the database's `integer`, so no
   * value the database would refuse gets past the edge); in a query, decimal digits with an
   * optional zero fraction (`2`, `2.0`), as the document's `type: integer` allows. `undefined`
   * when absent and not required. Out of range is a problem, never clamped.
   */
  positiveInt(field: string, o: { required?: boolean; max?: number } = {}): number | undefined {
    const v = this.values[field];
    if (v === undefined || (this.fromQuery && v === '')) return this.missing(field, o.required);
    const n = this.fromQuery && typeof v === 'string' && /^\d{1,16}(\.0*)?$/.test(v) ? Number(v) : v;
    const max = o.max ?? INT4_MAX;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) return this.fail(field, `must be an integer from 1 to ${max}, got ${describe(v)}`);
    return n;
  }

  /** Any JSON value but `null`; `undefined` when absent and not required. */
  value(field: string, o: { required?: boolean } = {}): unknown {
    const v = this.values[field];
    if (v === undefined || v === null) return this.missing(field, o.required);
    return v;
  }

  /** Adds a problem found by the caller. */
  problem(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  /** @throws ValidationProblem listing every problem found so far */
  done(): void {
    if (this.errors.length > 0) throw new ValidationProblem(this.errors);
  }

  private missing(field: string, required: boolean | undefined): undefined {
    if (required) this.errors.push({ field, message: 'is required' });
    return undefined;
  }

  private fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
