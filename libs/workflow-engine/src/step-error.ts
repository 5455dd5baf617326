/**
 * An error as a step result carries it. `name` decides retrying: a name listed in the step's
 * `retry.nonRetryable`, or `retryable: false`, is never retried.
 */
export interface StepError {
  readonly name: string;
  readonly message: string;
  readonly retryable: boolean;
  /**
   * The earliest the step wants to be retried, ms from the failure (an HTTP 429's `Retry-After`;
   * after Restate's `RetryableError.retryAfter` and Temporal's `nextRetryDelay`). The retry waits
   * the longer of this and the policy's backoff; the attempt budget is unchanged.
   */
  readonly retryAfterMs?: number;
}

/** Model, token and cost accounting an AI step reports with its result. */
export interface Metering {
  readonly model: string;
  /** The model's version or revision, when the step knows it. */
  readonly modelVersion?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** Error names the engine itself produces. */
export const ENGINE_ERROR_NAMES = Object.freeze({
  /** An attempt passed its deadline (retryable). */
  timeout: 'StepTimeout',
  /** A reviewer (or a review timeout with `onTimeout: reject`) rejected the output (non-retryable). */
  reviewRejected: 'ReviewRejected',
  /** The output does not match the step type's output schema (non-retryable). */
  outputSchemaViolation: 'OutputSchemaViolation',
  /** The step's `when` or `input` JSONata failed at run time (non-retryable). */
  expression: 'ExpressionError',
});
