import { LRUCache } from 'lru-cache';

/** What {@link AttemptLedger.claim} found for an attempt. */
export type Claim =
  /** Nobody runs it: the caller does, then calls `finish` or `release`. */
  | { kind: 'new'; finish: () => void; release: (error: Error) => void }
  /** Already finished in this process: drop the request. */
  | { kind: 'finished' }
  /** Running now in this process: `done` settles when that run finishes (rejects if it gave up without a result). */
  | { kind: 'running'; done: Promise<void> };

/**
 * Which attempts this process is running and which it finished, by request id
 * (`<caseId>:<stepId>:<attempt>`). Finished ids are kept in a bounded LRU (`lru-cache`, refreshed
 * on hit), so memory stays flat however long the process runs.
 * @internal
 */
export class AttemptLedger {
  private readonly finished: LRUCache<string, true>;
  private readonly running = new Map<string, { done: Promise<void>; resolve: () => void; reject: (e: Error) => void }>();

  /** @param capacity - finished request ids remembered (default 10 000) */
  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`finished-attempt capacity must be a positive integer, got ${capacity}`);
    this.finished = new LRUCache({ max: capacity });
  }

  claim(requestId: string): Claim {
    if (this.finished.get(requestId)) return { kind: 'finished' }; // get, not has: a hit refreshes it
    const run = this.running.get(requestId);
    if (run) return { kind: 'running', done: run.done };
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    done.catch(() => undefined); // nobody may be waiting; a rejection is not an unhandled one
    this.running.set(requestId, { done, resolve, reject });
    let settled = false;
    return {
      kind: 'new',
      finish: () => {
        if (settled) return;
        settled = true;
        this.running.delete(requestId);
        this.finished.set(requestId, true);
        resolve();
      },
      release: (error) => {
        if (settled) return;
        settled = true;
        this.running.delete(requestId);
        reject(error);
      },
    };
  }

  /** Attempts running now. */
  get runningCount(): number {
    return this.running.size;
  }
}
