/** Retry policy fields used when a step leaves them out. */
export const DEFAULT_RETRY = Object.freeze({
  maxAttempts: 3,
  initialInterval: 'PT1S',
  backoffCoefficient: 2,
  maxInterval: 'PT1M',
  jitter: 0.2,
  nonRetryable: Object.freeze([] as string[]),
});

/** Per-attempt timeout used when a step leaves `timeout` out. */
export const DEFAULT_STEP_TIMEOUT = 'PT5M';

/** Review gate defaults. */
export const DEFAULT_REVIEW_QUEUE = 'default';
export const DEFAULT_REVIEW_ON_TIMEOUT = 'escalate';
