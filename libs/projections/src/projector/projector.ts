import type { Checkpoint, EventStore } from '@baton/event-store';
import { log } from '@baton/observability';
import { DEFAULT_PROJECTOR_NAME } from '../tables';
import { ProjectionLagError } from '../errors';
import { applyBatch } from './apply-batch';
import { CaseFoldCache, type CaseFold } from './case-folds';
import { lastCommitted, lockKey, reached, sameCheckpoint } from './checkpoints';

/** Options of {@link Projector}. */
export interface ProjectorOptions {
  /** The checkpoint's name in the event store's `checkpoints` table; default `projections`. */
  name?: string;
  /** Most events applied per transaction; default 500. */
  batchSize?: number;
  /** How long the background loop sleeps when it found nothing to do; default 500 ms. */
  pollMs?: number;
  /** Most case states kept in memory (least recently used out); default 10 000. */
  cacheSize?: number;
  /** Called with an error of the background loop, which then sleeps and tries again; default a log line (component `projector`). */
  onError?: (error: unknown) => void;
}

/** Options of {@link Projector.catchUp}. */
export interface CatchUpOptions {
  /** Give up (with `ProjectionLagError`) after this long; default 60 000 ms. */
  timeoutMs?: number;
  /** Called after each batch with the events applied so far by this call (progress of a rebuild). */
  onProgress?: (applied: number) => void;
}

/**
 * Feeds the read models (`case_summary`, `step_executions`, `human_tasks`, `timeline`) from the
 * event store, in transaction order (`readAll`; each case in stream order), one transaction per batch: the rows of the batch and
 * the checkpoint commit together, so a crash neither loses nor repeats an event. Rows depend
 * only on the events (times come from the events, never from the clock), so
 * `rebuildProjections` gives the same rows.
 *
 * Case summaries are folded with the engine's `evolve`; folds are cached in memory and rebuilt
 * from the case's stream on a miss. Runs of the same name serialise on an advisory lock, so
 * several processes may run a projector safely (one makes progress at a time).
 */
export class Projector {
  /** The checkpoint name. */
  readonly name: string;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly cache: CaseFoldCache;
  /** The checkpoint this instance last committed; the cache is only trusted while the stored one still equals it. */
  private lastStored: Checkpoint | null | undefined = undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private wake: (() => void) | undefined;

  /**
   * @param store - an event store on a database migrated by `migrate` and `migrateProjections`.
   * @throws RangeError for a `batchSize` or `pollMs` that is not a positive integer.
   */
  constructor(private readonly store: EventStore, options: ProjectorOptions = {}) {
    this.name = options.name ?? DEFAULT_PROJECTOR_NAME;
    this.batchSize = positive(options.batchSize ?? 500, 'batchSize');
    this.pollMs = positive(options.pollMs ?? 500, 'pollMs');
    this.cache = new CaseFoldCache(positive(options.cacheSize ?? 10_000, 'cacheSize'));
    this.onError = options.onError ?? ((error) => log('error', 'projector', `projector '${this.name}' failed; retrying: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
  }

  /**
   * Applies the next batch: reads up to `batchSize` events after the stored checkpoint, applies
   * them and stores the new checkpoint in the same transaction.
   * @returns how many events were read and applied (0 when nothing new is readable yet).
   */
  async runOnce(): Promise<number> {
    const result = await this.store.withTransaction(async (tx) => {
      // No xid is taken before the first write, so this transaction does not hold back readAll's snapshot.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey(this.name)]);
      const from = await this.store.loadCheckpoint(this.name);
      if (!sameCheckpoint(from, this.lastStored)) this.cache.clear(); // another process or a rebuild moved it
      const page = await this.store.readAll({ after: from, limit: this.batchSize });
      if (page.events.length === 0) return { applied: 0, checkpoint: from, touched: new Map<string, CaseFold>() };
      const touched = await applyBatch(tx, this.store, page.events, this.cache);
      await this.store.storeCheckpoint(tx, this.name, page.checkpoint!);
      return { applied: page.events.length, checkpoint: page.checkpoint, touched };
    }).catch((error: unknown) => {
      this.lastStored = undefined;
      throw error;
    });
    for (const [caseId, fold] of result.touched) this.cache.set(caseId, fold);
    this.lastStored = result.checkpoint;
    return result.applied;
  }

  /**
   * Runs batches until the projections include every event committed when it was called.
   * @returns how many events it applied.
   * @throws ProjectionLagError when that takes longer than `timeoutMs` (a long transaction elsewhere
   *   on the server holds commit-order reading back).
   */
  async catchUp(options: CatchUpOptions = {}): Promise<number> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const target = await lastCommitted(this.store);
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    for (;;) {
      const applied = await this.runOnce();
      total += applied;
      if (applied > 0) options.onProgress?.(total);
      if (target === null || reached(this.lastStored ?? null, target)) return total;
      if (applied > 0) continue;
      if (Date.now() > deadline) throw new ProjectionLagError(this.name, this.lastStored ?? null, target, timeoutMs);
      await sleep(Math.min(this.pollMs, 25));
    }
  }

  /** Starts the background loop: batches back to back while there is work, a `pollMs` sleep when there is none. No-op if running. */
  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let applied = 0;
        try {
          applied = await this.runOnce();
        } catch (error) {
          this.onError(error);
        }
        if (this.running && applied < this.batchSize) await this.pause();
      }
    })();
  }

  /** Stops the background loop after the batch in progress; resolves once it has stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${String(n)}`);
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
