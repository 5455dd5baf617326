/**
 * A failure worth retrying, but not before `retryAfterMs` (an HTTP 429 or 503 with `Retry-After`,
 * a quota that resets in a minute): the attempt's `StepFailed` carries `retryAfterMs`, and the
 * orchestrator waits the longer of it and the step's backoff before the next attempt. The attempt
 * budget (`retry.maxAttempts`) is unchanged. Any other error a handler throws is retried on the
 * policy's own schedule.
 *
 * After Restate's `RetryableError` (`retryAfter`) and Temporal's `ApplicationFailure`
 * (`nextRetryDelay`).
 *
 * @example throw new RetryableError('RateLimited', 'the model API answered 429', { retryAfterMs: 30_000 });
 */
export class RetryableError extends Error {
  override readonly name: string;
  /** A brand that survives two copies of this package in one process. */
  readonly retryAfterMs: number;

  /**
   * @param name - the failure's name, e.g. `RateLimited`
   * @param message - what went wrong
   * @param options.retryAfterMs - the earliest retry, ms from now (an integer ≥ 0)
   * @throws RangeError when `retryAfterMs` is not a non-negative safe integer
   */
  constructor(name: string, message: string, options: { retryAfterMs: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isSafeInteger(options.retryAfterMs) || options.retryAfterMs < 0) {
      throw new RangeError(`retryAfterMs: expected a non-negative integer (ms), got ${options.retryAfterMs}`);
    }
    this.name = name;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The `retryAfterMs` of a {@link RetryableError} (from any copy of this package), else null. */
export function retryAfterOf(error: unknown): number | null {
  const v = typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}
