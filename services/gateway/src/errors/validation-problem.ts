/** One invalid field of a request: `field` is a dotted path in the body (or the query parameter's name). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A request the gateway refuses before doing anything (HTTP 400): every offending field is
 * listed, so a client fixes them all at once.
 */
export class ValidationProblem extends Error {
  override readonly name = 'ValidationProblem';
  constructor(readonly errors: readonly FieldError[], readonly title = 'The request is invalid') {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }

  /** A problem with a single field. */
  static of(field: string, message: string): ValidationProblem {
    return new ValidationProblem([{ field, message }]);
  }
}
