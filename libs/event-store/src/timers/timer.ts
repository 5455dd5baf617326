/** A durable timer to schedule: it fires once, at or after `dueAt`. */
export interface TimerInput {
  /** Unique id; scheduling an id again replaces that timer (e.g. `case-1/step/parse/attempt-2/timeout`). */
  timerId: string;
  /** The stream (case) the timer belongs to. */
  streamId: string;
  /** What firing means to the owner (`step-timeout`, `retry-backoff`, `review-timeout`...). */
  kind: string;
  /** When it is due: a `Date` or epoch milliseconds. */
  dueAt: Date | number;
  /** JSON-serializable data handed back when it fires. */
  payload: unknown;
}

/** A timer claimed by `claimDue`. */
export interface DueTimer {
  timerId: string;
  streamId: string;
  kind: string;
  dueAt: Date;
  payload: unknown;
  createdAt: Date;
}
