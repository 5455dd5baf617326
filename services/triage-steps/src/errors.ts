/**
 * Errors thrown by the inbox-triage step handlers, in the step SDK's terms: a failure that
 * retrying cannot fix is the SDK's {@link NonRetryableError} (its `StepFailed` carries
 * `retryable: false` and the error's name); anything else is retryable, and a
 * {@link RetryableFailure} names it so that the workflow's retry policy can match on the name.
 */
import { NonRetryableError, isNonRetryable as sdkIsNonRetryable } from '@baton/step-sdk';

export { NonRetryableError };

/** A failure that another attempt may not hit (a timeout, a 5xx, a busy lock), with its own name. */
export class RetryableFailure extends Error {
  override readonly name: string;

  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
  }
}

/** An error that retrying cannot fix (a malformed input, a request the remote side refused). */
export function nonRetryable(name: string, message: string, details?: Record<string, unknown>): NonRetryableError {
  return new NonRetryableError(name, message, details === undefined ? {} : { details });
}

/** An error that another attempt may not hit. */
export function retryable(name: string, message: string): RetryableFailure {
  return new RetryableFailure(name, message);
}

/** True when `err` is a failure the handler marked as not worth retrying (the SDK's test). */
export function isNonRetryable(err: unknown): err is NonRetryableError {
  return sdkIsNonRetryable(err);
}
