import { ValidationProblem, type FieldError } from '../errors/validation-problem';
import { INT4_MAX } from '@baton/http-contract';

/**
 * Reads the parameters of a query string, one explicit call per parameter, collecting every
 * problem; {@link FieldReader.done} throws them together as a {@link ValidationProblem}. (Bodies
 * are checked against their schemas in `@baton/http-contract` by `readBody`.)
 *
 * ```ts
 * const q = FieldReader.query(query);
 * const limit = q.positiveInt('limit', { max: 500 });
 * q.done();
 * ```
 */
export class FieldReader {
  private readonly errors: FieldError[] = [];

  private constructor(private readonly values: Record<string, unknown>) {}

  /** A reader over query parameters, whose values are strings (a repeated parameter is a problem). */
  static query(query: unknown): FieldReader {
    return new FieldReader((query ?? {}) as Record<string, unknown>);
  }

  /** A non-empty string; `undefined` when absent and not required. */
  string(field: string, o: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const v = this.values[field];
    if (v === undefined || v === '') return this.missing(field, o.required);
    if (typeof v !== 'string') return this.fail(field, 'must be given once');
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
   * value the database would refuse gets past the edge): decimal digits with an optional zero
   * fraction (`2`, `2.0`), as the document's `type: integer` allows. `undefined`
   * when absent and not required. Out of range is a problem, never clamped.
   */
  positiveInt(field: string, o: { required?: boolean; max?: number } = {}): number | undefined {
    const v = this.values[field];
    if (v === undefined || v === '') return this.missing(field, o.required);
    const n = typeof v === 'string' && /^\d{1,16}(\.0*)?$/.test(v) ? Number(v) : v;
    const max = o.max ?? INT4_MAX;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) return this.fail(field, `must be an integer from 1 to ${max}, got ${describeValue(v)}`);
    return n;
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

/** A value as a problem message quotes it: strings in quotes, `an array`, `null`, anything long cut at 40 characters. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
