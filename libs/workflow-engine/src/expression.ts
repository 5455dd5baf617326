import jsonata from 'jsonata';

/**
 * A JSONata expression compiled once, at definition load.
 *
 * `evaluate` binds `$now()` and `$millis()` to the decider's clock, so an expression that reads
 * the time is as deterministic as the command it runs for. The result is normalised to plain JSON
 * (`undefined` becomes `null`; JSONata sequences become arrays).
 */
export interface CompiledExpression {
  /** The expression text as written in the definition. */
  readonly source: string;
  /**
   * @param input the JSON document the expression reads
   * @param nowMs the decider's clock, epoch ms
   * @throws {ExpressionEvaluationError} when JSONata raises an error at run time
   */
  evaluate(input: unknown, nowMs: number): Promise<unknown>;
}

/** Thrown when a JSONata expression does not parse; carries JSONata's message and position. */
export class ExpressionSyntaxError extends Error {
  constructor(readonly source: string, readonly reason: string, readonly position?: number) {
    super(`'${source}' is not a valid JSONata expression: ${reason}${position !== undefined ? ` (at position ${position})` : ''}`);
    this.name = 'ExpressionSyntaxError';
  }
}

/** Thrown when a JSONata expression fails while it is evaluated (a type error, a missing function). */
export class ExpressionEvaluationError extends Error {
  constructor(readonly source: string, readonly reason: string) {
    super(`evaluating '${source}' failed: ${reason}`);
    this.name = 'ExpressionEvaluationError';
  }
}

/**
 * Compiles JSONata text.
 * @throws {ExpressionSyntaxError} when the text does not parse
 */
export function compileExpression(source: string): CompiledExpression {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(source);
  } catch (e) {
    const err = e as { message?: string; position?: number };
    throw new ExpressionSyntaxError(source, err.message ?? String(e), err.position);
  }
  return Object.freeze({
    source,
    async evaluate(input: unknown, nowMs: number): Promise<unknown> {
      const bindings = { now: () => new Date(nowMs).toISOString(), millis: () => nowMs };
      let result: unknown;
      try {
        // A copy: JSONata may decorate the arrays it walks, and the caller's data is immutable state.
        result = await compiled.evaluate(structuredClone(input), bindings);
      } catch (e) {
        throw new ExpressionEvaluationError(source, (e as { message?: string }).message ?? String(e));
      }
      return toJson(result);
    },
  });
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}
