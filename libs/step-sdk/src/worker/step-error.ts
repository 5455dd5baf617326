import type { Wire } from '@baton/contracts';
import { isNonRetryable } from '../non-retryable-error';
import { retryAfterOf } from '../retryable-error';

/** Longest `details` JSON text sent with a failure; a stack is cut to fit. */
export const MAX_DETAILS_CHARS = 4000;

/** Names of the failures the SDK itself reports. */
export const SdkErrorNames = Object.freeze({
  /** The request's input (or params) does not decode with the step type's input contract (non-retryable). */
  inputSchemaViolation: 'InputSchemaViolation',
  /** The handler's output does not match the step type's output contract (non-retryable). */
  outputSchemaViolation: 'OutputSchemaViolation',
  /** A claim-checked input could not be read from the claim store, or a large output could not be stored in it (retryable). */
  claimUnavailable: 'ClaimUnavailable',
});

/**
 * A thrown value as the failure a `StepFailed` carries: a `NonRetryableError` is not retryable,
 * anything else is, named after `error.name`; a `RetryableError` carries its `retryAfterMs`. `details` is JSON text: the stack (cut to
 * {@link MAX_DETAILS_CHARS}), the cause's message, and a `NonRetryableError`'s own details.
 * @internal
 */
export function toStepError(thrown: unknown): Wire.StepError {
  if (!(thrown instanceof Error)) {
    return { name: 'Error', message: `a non-Error value was thrown: ${String(thrown)}`.slice(0, 1000), retryable: true, details: null, retryAfterMs: null };
  }
  const extra = isNonRetryable(thrown) ? thrown.details : undefined;
  const cause = thrown.cause instanceof Error ? `${thrown.cause.name}: ${thrown.cause.message}` : thrown.cause === undefined ? undefined : String(thrown.cause);
  return {
    name: thrown.name || 'Error',
    message: thrown.message,
    retryable: !isNonRetryable(thrown),
    details: detailsJson({ ...extra, ...(cause !== undefined && { cause }), ...(thrown.stack && { stack: thrown.stack }) }),
    retryAfterMs: isNonRetryable(thrown) ? null : retryAfterOf(thrown),
  };
}

/** A failure the SDK reports itself: never retryable. @internal */
export function sdkStepError(name: string, message: string, details?: Record<string, unknown>): Wire.StepError {
  return { name, message, retryable: false, details: details ? detailsJson(details) : null, retryAfterMs: null };
}

/** JSON text of `details`, its `stack` cut so the whole stays within {@link MAX_DETAILS_CHARS}. */
function detailsJson(details: Record<string, unknown>): string | null {
  if (Object.keys(details).length === 0) return null;
  let text = JSON.stringify(details);
  if (text.length > MAX_DETAILS_CHARS && typeof details.stack === 'string') {
    const over = text.length - MAX_DETAILS_CHARS;
    text = JSON.stringify({ ...details, stack: `${details.stack.slice(0, Math.max(0, details.stack.length - over - 20))}...(truncated)` });
  }
  return text.length > MAX_DETAILS_CHARS ? JSON.stringify({ truncated: text.slice(0, MAX_DETAILS_CHARS - 40) }) : text;
}
