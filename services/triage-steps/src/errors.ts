/**
 * Errors thrown by the inbox-triage step handlers.
 *
 * The step SDK will supply `NonRetryableError(name, message)`; until then a handler throws a
 * {@link StepFailure} that says whether retrying can help. Swapping to the SDK is a change to this
 * file only: {@link nonRetryable} returns the SDK's error and {@link retryable} a plain `Error`
 * (the SDK retries anything that is not a `NonRetryableError`).
 */

/** A step attempt failed; `name` is the failure's name as the workflow's retry policy sees it. */
export class StepFailure extends Error {
  /** Whether another attempt may succeed (false: the workflow's retry policy is skipped). */
  readonly retryable: boolean;

  constructor(name: string, message: string, retryable = false) {
    super(message);
    this.name = name;
    this.retryable = retryable;
  }
}

/** An error that retrying cannot fix (a malformed input, a request the remote side refused). */
export function nonRetryable(name: string, message: string): StepFailure {
  return new StepFailure(name, message, false);
}

/** An error that another attempt may not hit (a timeout, a 5xx, a busy lock). */
export function retryable(name: string, message: string): StepFailure {
  return new StepFailure(name, message, true);
}

/** True when `err` is a failure the handler marked as not worth retrying. */
export function isNonRetryable(err: unknown): boolean {
  return err instanceof StepFailure && !err.retryable;
}
