import type { RetryPolicy } from './definition/types';
import type { StepError } from './step-error';

/**
 * Delay before the attempt that follows failed attempt `attemptInRun` (1-based, counted from the
 * start of the current run):
 * `min(initialInterval * backoffCoefficient^(attemptInRun - 1), maxInterval) * (1 + jitter * (2 * random - 1))`,
 * rounded to whole ms. Jitter is applied after the cap, so a delay can exceed `maxInterval` by at
 * most `jitter` (as in AWS's "equal jitter" family; it keeps many retries from synchronising).
 *
 * @param random uniform in [0, 1)
 * @returns the delay in ms, >= 0
 */
export function retryDelay(policy: RetryPolicy, attemptInRun: number, random: number): number {
  const base = Math.min(policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, attemptInRun - 1), policy.maxIntervalMs);
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random - 1))));
}

/** True when the error may be retried under the policy: `retryable` is not false and its name is not listed in `nonRetryable`. */
export function isRetryable(policy: RetryPolicy, error: StepError): boolean {
  return error.retryable !== false && !policy.nonRetryable.includes(error.name);
}
