import type { HandOff } from '../relay/hand-off';
import type { ClaimStore } from '@baton/claims';
import { WrongExpectedVersionError, type EventStore, type NewEvent, type OutboxMessage, type TimerInput, type Tx } from '@baton/event-store';
import type { OutboxWithClaims } from './outbound';

/** What deciding one command wrote, for {@link CaseWrites.add}: in the order it must take effect. */
export interface DecidedWrites {
  /** The case's version before this command's events (its events go at `expectedVersion + 1 ...`). */
  expectedVersion: number;
  events: NewEvent[];
  /** Step requests and public case events (with the claims they refer to, stored before them). */
  outbox: OutboxWithClaims[];
  /** Timers that can no longer matter once the events are recorded (deleted). */
  cancel: string[];
  /** Timers to set (upserted by id). */
  schedule: TimerInput[];
  /** Further writes in the same transaction, run after the outbox (the admission edge's rows). */
  also?: (tx: Tx) => Promise<void>;
}

/**
 * The writes of one transaction, gathered over one or many commands and many cases, then sent in
 * as few statements as the store allows (group commit): timer deletes, timer upserts, one
 * multi-stream append with each case's expected version, one outbox insert. Commands of one case
 * must be added in order; a timer id's last operation wins (set then cancelled is cancelled).
 */
export class CaseWrites {
  private readonly streams = new Map<string, { expectedVersion: number; events: NewEvent[] }>();
  private readonly timers = new Map<string, TimerInput | null>();
  private readonly outbox: OutboxWithClaims[] = [];
  private readonly unchanged = new Map<string, number>();
  private readonly also: ((tx: Tx) => Promise<void>)[] = [];

  /** Adds one command's writes for `caseId`. @throws Error when its expected version does not follow the case's earlier writes */
  add(caseId: string, w: DecidedWrites): void {
    for (const id of w.cancel) this.timers.set(id, null);
    for (const t of w.schedule) this.timers.set(t.timerId, t);
    if (w.events.length > 0) {
      const s = this.streams.get(caseId);
      if (!s) this.streams.set(caseId, { expectedVersion: w.expectedVersion, events: [...w.events] });
      else if (s.expectedVersion + s.events.length !== w.expectedVersion) throw new Error(`case ${caseId}: writes added out of order`);
      else s.events.push(...w.events);
    }
    this.outbox.push(...w.outbox);
    if (w.also) this.also.push(w.also);
  }

  /**
   * Says a command decided on the cached state of `caseId` (at `version`) changed nothing: the
   * flush checks that the case really is at that version, since an empty decision writes no
   * append whose expected version would catch a stale cache.
   */
  expectUnchanged(caseId: string, version: number): void {
    if (!this.unchanged.has(caseId)) this.unchanged.set(caseId, version);
  }

  /**
   * Writes everything inside `tx`. Timers first: the timer loop locks a timer row and then
   * appends, so taking timer row locks first (in id order) keeps one lock order and no deadlock.
   * @param onAppend - observes the append's duration, seconds
   * @param handOffLeaseMs - when given, the outbox rows are written leased to this process for so
   *   many ms where their key allows (`enqueueLeased`), and returned for the relay to publish after COMMIT
   * @returns the rows leased to this process, or undefined without `handOffLeaseMs` or outbox rows
   * @param claims - where the outbox rows' claims go (in `tx` for the Postgres store), before the rows
   * @throws WrongExpectedVersionError when a case moved on meanwhile (retry on fresh state)
   */
  async flush(store: EventStore, tx: Tx, onAppend?: (seconds: number) => void, handOffLeaseMs?: number, claims?: ClaimStore): Promise<HandOff | undefined> {
    const ids = [...this.timers.keys()].sort();
    const cancel = ids.filter((id) => this.timers.get(id) === null);
    const schedule = ids.map((id) => this.timers.get(id)).filter((t): t is TimerInput => t != null);
    if (cancel.length > 0) await store.cancel(tx, cancel);
    if (schedule.length > 0) await store.schedule(tx, schedule);
    if (this.streams.size > 0) {
      const started = process.hrtime.bigint();
      await store.appendToStreams(tx, [...this.streams].map(([streamId, s]) => ({
        streamId, expectedVersion: s.expectedVersion === 0 ? 'no-stream' : s.expectedVersion, events: s.events,
      })));
      onAppend?.(Number(process.hrtime.bigint() - started) / 1e9);
    }
    let handOff: HandOff | undefined;
    const claimed = this.outbox.flatMap((m) => m.claims ?? []);
    if (claimed.length > 0) {
      if (!claims) throw new Error(`${claimed.length} outbox messages refer to claims but no claim store was given`);
      await claims.put(claimed, tx);
    }
    if (this.outbox.length > 0 && handOffLeaseMs === undefined) await store.enqueue(tx, this.outbox as OutboxMessage[]);
    else if (this.outbox.length > 0) {
      const before = Date.now();
      const rows = await store.enqueueLeased(tx, this.outbox, handOffLeaseMs!);
      handOff = {
        rows: rows.flatMap((r, i) => (r.leased ? [{ ...this.outbox[i]!, id: r.id }] : [])),
        publishBy: before + handOffLeaseMs! * 0.8,
        waiting: rows.some((r) => !r.leased),
      };
    }
    for (const write of this.also) await write(tx);
    const check = [...this.unchanged].filter(([id]) => !this.streams.has(id));
    if (check.length > 0) {
      const actual = await store.streamVersions(check.map(([id]) => id), tx);
      for (const [id, version] of check) {
        if (actual.get(id) !== version) throw new WrongExpectedVersionError(id, version, actual.get(id) ?? 0);
      }
    }
    return handOff;
  }
}

