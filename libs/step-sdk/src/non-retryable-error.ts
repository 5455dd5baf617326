/**
 * A failure that retrying cannot fix (a malformed address, a refused payment): the attempt's
 * `StepFailed` carries `retryable: false` and this error's `name`, and the orchestrator does not
 * retry the step. Anything else a handler throws is retryable.
 *
 * The idea is Temporal's `ApplicationFailure.nonRetryable(message, type)` and Restate's
 * `TerminalError`: the error's type, not its message, decides retrying.
 *
 * @example throw new NonRetryableError('MalformedEmail', `'${to}' is not an e-mail address`);
 */
export class NonRetryableError extends Error {
  override readonly name: string;
  /** A brand that survives two copies of this package in one process. */
  readonly nonRetryable = true as const;
  /** Extra context, sent as JSON in the failure's `details`. */
  readonly details: Record<string, unknown> | undefined;

  /**
   * @param name - the failure's name, e.g. `MalformedEmail`; workflows may match on it
   * @param message - what went wrong, with its context
   */
  constructor(name: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.details = options.details;
  }
}

/** True for a {@link NonRetryableError} (from any copy of this package). */
export function isNonRetryable(error: unknown): error is NonRetryableError {
  return error instanceof NonRetryableError || (typeof error === 'object' && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true);
}
