/**
 * Retrying an operation at a service's edge (a Kafka handler, a publish, a transaction that lost
 * a race) with exponential backoff, bounded by a count and/or a time. Not for the decider's own
 * step retries, which are deterministic and recorded in events (`@baton/workflow-engine`).
 *
 * Our own rather than `p-retry`: p-retry 6+ is ESM-only and p-retry 9 needs Node 22, while this
 * tree is CommonJS through swc on Node 20; and the consumer needs a wait cut at its time bound and
 * a hook after each wait (a heartbeat), which p-retry does not offer.
 */

/** How {@link retryWithBackoff} waits and when it gives up. */
export interface BackoffPolicy {
  /** Wait after the first failure, ms; default 100. */
  initialMs?: number;
  /** Each wait is the previous one times this; default 2 (1 gives a constant wait). */
  factor?: number;
  /** Longest wait, ms; default 10 000. */
  maxMs?: number;
  /** Full jitter: each wait is uniform in [0, wait) (for racing writers); default false. */
  jitter?: boolean;
  /** Attempts in all, the first included; default unlimited. */
  maxAttempts?: number;
  /** Longest time from the first failure to the start of the last attempt, ms; default unlimited. A wait is cut to end at it. */
  maxRetryMs?: number;
  /** Epoch ms after which no attempt starts; a wait is cut to end at it. Default none. */
  deadline?: number;
}

/** What {@link retryWithBackoff} tells its hooks about a failed attempt. */
export interface RetryAttempt {
  error: Error;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** The wait before the next attempt, ms. */
  waitMs: number;
  /** Since the first failure, ms. */
  elapsedMs: number;
}

/** Hooks of {@link retryWithBackoff}. */
export interface RetryHooks {
  /** False: the error is thrown at once, unretried (a permanent error, a stop). Default: retry every error. */
  shouldRetry?: (error: Error, attempt: number) => boolean;
  /** Called before each wait (to log it). */
  onRetry?: (failure: RetryAttempt) => void;
  /** Awaited after each wait, before the next attempt (a consumer's heartbeat); what it throws ends the retries. */
  afterWait?: () => Promise<void>;
}

/**
 * Thrown by {@link retryWithBackoff} when its count or time bound ran out; `cause` is the last
 * error, and the message says how many attempts were made in how long.
 */
export class RetriesExhaustedError extends Error {
  /** `gave up after <n> attempts[ in <ms> ms]` (the time only when the time bound ran out). */
  readonly note: string;

  constructor(override readonly cause: Error, readonly attempts: number, readonly elapsedMs: number, readonly byCount: boolean) {
    const note = `gave up after ${attempts} attempts${byCount ? '' : ` in ${elapsedMs} ms`}`;
    super(`${cause.message} (${note})`, { cause });
    this.note = note;
    this.name = 'RetriesExhaustedError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` (given the attempt number, from 1) until it resolves, waiting
 * `min(initialMs * factor^(n-1), maxMs)` ms after the n-th failure (less when a time bound is near).
 * @returns what `fn` resolved to
 * @throws the error itself when `shouldRetry` refuses it; {@link RetriesExhaustedError} when
 *   `maxAttempts`, `maxRetryMs` or `deadline` ran out; whatever `afterWait` throws
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, policy: BackoffPolicy = {}, hooks: RetryHooks = {}): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? Number.POSITIVE_INFINITY;
  let firstFailureAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    let error: Error;
    try {
      return await fn(attempt);
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    if (hooks.shouldRetry && !hooks.shouldRetry(error, attempt)) throw error;
    const now = Date.now();
    firstFailureAt ??= now;
    const elapsedMs = now - firstFailureAt;
    const endsAt = Math.min(policy.deadline ?? Number.POSITIVE_INFINITY, firstFailureAt + (policy.maxRetryMs ?? Number.POSITIVE_INFINITY));
    if (attempt >= maxAttempts || now >= endsAt) throw new RetriesExhaustedError(error, attempt, elapsedMs, attempt >= maxAttempts);
    const backoff = Math.min((policy.initialMs ?? 100) * (policy.factor ?? 2) ** (attempt - 1), policy.maxMs ?? 10_000);
    const waitMs = Math.max(1, Math.min(policy.jitter ? Math.random() * backoff : backoff, endsAt - now));
    hooks.onRetry?.({ error, attempt, waitMs, elapsedMs });
    await sleep(waitMs);
    await hooks.afterWait?.();
  }
}
