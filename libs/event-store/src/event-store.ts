import type { Pool } from 'pg';
import type { Tx } from './transaction/tx';
import { withTransaction } from './transaction/with-transaction';
import { appendToStream, type AppendResult } from './streams/append-to-stream';
import { appendToStreams, type StreamAppend } from './streams/append-to-streams';
import { readStreams } from './streams/read-streams';
import type { ExpectedVersion } from './streams/expected-version';
import type { NewEvent } from './streams/new-event';
import type { RecordedEvent } from './streams/recorded-event';
import { readStream, type ReadStreamOptions } from './streams/read-stream';
import { streamVersion, streamVersions } from './streams/stream-version';
import { readAll, type ReadAllOptions, type ReadAllResult } from './all/read-all';
import type { Checkpoint } from './all/checkpoint';
import { loadCheckpoint, storeCheckpoint } from './checkpoints/checkpoints';
import { markProcessed } from './inbox/mark-processed';
import { markProcessedMany, unmarkProcessed } from './inbox/mark-processed-many';
import type { OutboxMessage, ClaimedOutboxMessage } from './outbox/outbox-message';
import { enqueue } from './outbox/enqueue';
import { enqueueLeased, type EnqueuedRow } from './outbox/enqueue-leased';
import { claimUnsent, type ClaimOptions } from './outbox/claim-unsent';
import { markSent } from './outbox/mark-sent';
import { outboxBacklog, outboxOldestUnsentSeconds } from './outbox/outbox-backlog';
import type { TimerInput, DueTimer } from './timers/timer';
import { schedule } from './timers/schedule';
import { cancel } from './timers/cancel';
import { claimDue } from './timers/claim-due';
import { postpone } from './timers/postpone';
import { timersOf } from './timers/timers-of';
import { dueCount, oldestDueSeconds } from './timers/due-count';

/**
 * The event store over one pg `Pool`: streams, all-events reading, inbox, outbox, timers
 * and projection checkpoints. Writes take the {@link Tx} of {@link withTransaction}, so a
 * message's inbox record, events, outbox rows and timers commit in one transaction.
 * Each method delegates to a function of its own file; see there for the SQL and the why.
 */
export class EventStore {
  /**
   * @param pool - connections to a migrated database (see `migrate`).
   * @param onClose - what `close()` does; default `pool.end()`.
   */
  constructor(
    readonly pool: Pool,
    private readonly onClose: () => Promise<void> = () => pool.end(),
  ) {}

  /** Runs `fn` in one transaction: `BEGIN`, `fn(tx)`, `COMMIT`, or `ROLLBACK` and rethrow. */
  withTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }

  /** Appends events at an expected version; throws `WrongExpectedVersionError` on a conflict. */
  appendToStream(tx: Tx, streamId: string, expectedVersion: ExpectedVersion, events: readonly NewEvent[]): Promise<AppendResult> {
    return appendToStream(tx, streamId, expectedVersion, events);
  }

  /** The versions of several streams in one statement (in `tx`'s snapshot when given). */
  streamVersions(streamIds: readonly string[], tx?: Tx): Promise<Map<string, number>> {
    return streamVersions(tx ?? this.pool, streamIds);
  }

  /** Appends to several streams in one statement, each checked against its expected version; see `appendToStreams`. */
  appendToStreams(tx: Tx, appends: readonly StreamAppend[]): Promise<void> {
    return appendToStreams(tx, appends);
  }

  /** The events of several streams, each from its own position on, in one statement inside `tx`. */
  readStreams(tx: Tx, from: ReadonlyMap<string, number>): Promise<Map<string, RecordedEvent[]>> {
    return readStreams(tx, from);
  }

  /** Marks many messages as handled by `consumer` in one statement; returns the ids that were new. */
  markProcessedMany(tx: Tx, messageIds: readonly string[], consumer: string): Promise<Set<string>> {
    return markProcessedMany(tx, messageIds, consumer);
  }

  /** Takes back inbox marks made in `tx` for messages that will be handled later on their own. */
  unmarkProcessed(tx: Tx, messageIds: readonly string[], consumer: string): Promise<void> {
    return unmarkProcessed(tx, messageIds, consumer);
  }

  /** A stream's events in order, from `fromPosition` (1-based) on. */
  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return readStream(this.pool, streamId, options);
  }

  /** A stream's version (last position, 0 when empty), inside `tx` or, with `null`, on its own. */
  streamVersion(tx: Tx | null, streamId: string): Promise<number> {
    return streamVersion(tx ?? this.pool, streamId);
  }

  /** All events after a checkpoint in transaction order, never skipping a late commit (see `readAll` for why a stream may come out of order). */
  readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    return readAll(this.pool, options);
  }

  /** Records a handled message; `false` if `consumer` had already handled `messageId`. */
  markProcessed(tx: Tx, messageId: string, consumer: string): Promise<boolean> {
    return markProcessed(tx, messageId, consumer);
  }

  /** Adds messages to the outbox in `tx`; returns their ids. */
  enqueue(tx: Tx, messages: readonly OutboxMessage[]): Promise<number[]> {
    return enqueue(tx, messages);
  }

  /** Claims unsent outbox rows for one relay, under a lease, keeping per-key order. */
  claimUnsent(limit: number, options: ClaimOptions = {}): Promise<ClaimedOutboxMessage[]> {
    return claimUnsent(this.pool, limit, options);
  }

  /** Adds messages to the outbox and leases to the caller those whose key has no older unsent row (the direct hand-off); see `enqueueLeased`. */
  enqueueLeased(tx: Tx, messages: readonly OutboxMessage[], leaseMs: number): Promise<EnqueuedRow[]> {
    return enqueueLeased(tx, messages, leaseMs);
  }

  /** Marks outbox rows as published; returns how many it marked. */
  markSent(ids: readonly number[]): Promise<number> {
    return markSent(this.pool, ids);
  }

  /** How many outbox rows are unsent. */
  outboxBacklog(): Promise<number> {
    return outboxBacklog(this.pool);
  }

  /** Age of the oldest unsent outbox row, seconds; 0 when none is unsent. */
  outboxOldestUnsentSeconds(): Promise<number> {
    return outboxOldestUnsentSeconds(this.pool);
  }

  /** Schedules (upserts) durable timers in `tx`. */
  schedule(tx: Tx, timers: readonly TimerInput[]): Promise<void> {
    return schedule(tx, timers);
  }

  /** Cancels timers in `tx`; returns how many existed. */
  cancel(tx: Tx, timerIds: readonly string[]): Promise<number> {
    return cancel(tx, timerIds);
  }

  /** Claims and removes due timers in `tx` (`FOR UPDATE SKIP LOCKED`); a rollback makes them due again. */
  claimDue(tx: Tx, now: Date | number, limit: number): Promise<DueTimer[]> {
    return claimDue(tx, now, limit);
  }

  /** Moves an existing timer to `dueAt` in `tx`; a timer that is gone stays gone. Returns whether it existed. */
  postpone(tx: Tx, timerId: string, dueAt: Date | number): Promise<boolean> {
    return postpone(tx, timerId, dueAt);
  }

  /** The timers pending for these streams, by due time (in `tx`'s snapshot when given). */
  timersOf(streamIds: readonly string[], tx?: Tx): Promise<DueTimer[]> {
    return timersOf(tx ?? this.pool, streamIds);
  }

  /** How many timers are due at `now`. */
  dueCount(now: Date | number): Promise<number> {
    return dueCount(this.pool, now);
  }

  /** How long the oldest due timer has been due at `now`, seconds; 0 when none is. */
  oldestDueSeconds(now: Date | number): Promise<number> {
    return oldestDueSeconds(this.pool, now);
  }

  /** The checkpoint stored under `name`, or `null`. */
  loadCheckpoint(name: string): Promise<Checkpoint | null> {
    return loadCheckpoint(this.pool, name);
  }

  /** Stores a checkpoint, in `tx` (with the projection's rows) or, with `null`, on its own. */
  storeCheckpoint(tx: Tx | null, name: string, checkpoint: Checkpoint): Promise<void> {
    return storeCheckpoint(tx ?? this.pool, name, checkpoint);
  }

  /** Ends every connection. The store is unusable afterwards. */
  close(): Promise<void> {
    return this.onClose();
  }
}
