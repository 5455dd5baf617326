import type { ClaimStore } from '@baton/claims';
import type { SchemaCatalog } from '@baton/avro';
import { topicNames, type TopicNames } from '@baton/contracts';
import type { DefinitionRegistry } from '@baton/definitions';
import { WrongExpectedVersionError, type EventStore, type Tx } from '@baton/event-store';
import {
  CaseNotStarted, decide, evolve, initialState, upcast, type CaseCommand, type CaseEvent,
  type CaseState, type DecideContext, type IgnoredReason, type WorkflowDefinition,
} from '@baton/workflow-engine';
import { RetriesExhaustedError, retryWithBackoff } from '@baton/observability';
import type { AdmissionEdge } from '../admission/admission-edge';
import type { OrchestratorMetrics } from '../metrics/orchestrator-metrics';
import type { HandOff } from '../relay/hand-off';
import { CaseWrites } from './case-writes';
import { InputCheck } from './input-check';
import { type Outbound, type Causation, type OutgoingEvent } from './outbound';
import { StateCache } from './state-cache';
import { validateOutputWith } from './validate-output';
import { ChildCases } from './child-cases';

/** What handling one command came to. */
export type HandleOutcome =
  /** Events were recorded; none when the decider ignored the command, and `ignored` says why. */
  | { status: 'applied'; events: number; state: CaseState; ignored?: IgnoredReason }
  /** The inbox had already seen the message: nothing changed. */
  | { status: 'duplicate' }
  /** A trigger for a case that exists: the key or trigger id already started it. */
  | { status: 'already-started' };

/** What one command came to inside a transaction, for {@link CaseHandler.committed}. */
export interface Handled {
  command: CaseCommand['type'];
  result: HandleOutcome;
  before: CaseState;
  events: CaseEvent[];
  /** The outbox rows its transaction wrote leased to this process (the direct hand-off), if any. */
  handOff?: HandOff;
}

/** Options of {@link CaseHandler.handle}. */
export interface HandleOptions extends Causation {
  /** Inbox consumer name; with `messageId`, a message seen before changes nothing. */
  consumer: string;
  /** For `StartCase`: the definition the case pins. Others use the one their case pinned. */
  workflow?: WorkflowDefinition;
}

/** One command of {@link CaseHandler.handleBatch}. */
export interface BatchItem {
  caseId: string;
  command: CaseCommand;
  options: HandleOptions;
}

/**
 * What became of one command of a batch: handled (`outcome`), or `deferred` with the error that
 * stopped it (a command its case refuses, an unknown workflow...): the caller handles a deferred
 * command, and every later command of the same case, one at a time, where the error is classified.
 */
export type BatchOutcome = { outcome: HandleOutcome } | { deferred: Error };

/** Runs again on fresh state after a lost race: up to 25 attempts, short jittered waits (a conflict clears in milliseconds). */
const CONFLICT_BACKOFF = { maxAttempts: 25, initialMs: 5, factor: 1.5, maxMs: 100, jitter: true } as const;

/**
 * The one generic I/O shell around the decider. In ONE Postgres transaction per command
 * ({@link CaseHandler.handle}) or per batch of commands ({@link CaseHandler.handleBatch}, group
 * commit): inbox check, load the cases (cached state plus the events after it), decide each
 * command in order, then write everything together: timers, one append of every case's events
 * with its expected version, the outbox (step requests and public case events). A concurrent
 * writer to one of the cases makes the append fail with `WrongExpectedVersionError`; the whole
 * transaction is then run again on fresh state.
 */
export class CaseHandler {
  private readonly cache = new StateCache();

  constructor(private readonly deps: {
    store: EventStore;
    registry: DefinitionRegistry;
    catalog: SchemaCatalog;
    outbound: Outbound;
    metrics: OrchestratorMetrics;
    /**
     * Called after a transaction that recorded events committed, with the outbox rows it wrote
     * leased to this process when `handOffLeaseMs` is set (the relay publishes them at once),
     * else with nothing (the relay is woken to claim them).
     */
    onCommitted?: (handOff?: HandOff) => void;
    /** Write outbox rows leased to this process for so long, ms, for the direct hand-off (`enqueueLeased`); unset: every row waits for the claim. */
    handOffLeaseMs?: number;
    /** Holds the step requests of governed step types for admission (`admission/`); absent: every request is sent. */
    admission?: AdmissionEdge;
    /** Where the claims of claim-checked outbox messages are stored, in the same transaction (the `outbound`'s claim check's store). */
    claims?: ClaimStore;
    clock?: () => number;
    random?: () => number;
    /** For sub-workflow steps: where child triggers and signals go (absent: the default topic names). */
    topics?: TopicNames;
  }) {}

  /**
   * Handles a command in a transaction of its own, retried on fresh state when a concurrent writer
   * to the same case won (`WrongExpectedVersionError`) or Postgres broke a lock cycle (deadlock,
   * serialization failure).
   * @throws CaseCommandError subclasses from `decide` (a command that makes no sense for the case),
   *   WorkflowNotFound, and database errors; a conflict only after 25 retries.
   */
  async handle(caseId: string, command: CaseCommand, options: HandleOptions): Promise<HandleOutcome> {
    const [result] = await this.withRetries([caseId], async (tx) => {
      const handled = await this.handleIn(tx, caseId, command, options);
      return { outcomes: [handled.result], handled: [{ caseId, handled }], handOff: handled.handOff };
    });
    return result!;
  }

  /**
   * Handles many commands (a Kafka batch, in offset order) in ONE transaction: one inbox insert,
   * one load of every case they touch, the decider per command in order (one case's commands
   * chain on its state), one write of all the effects. A command that fails to decide is
   * deferred, with every later command of its case, and its inbox mark taken back, so the rest
   * of the batch still commits. Retried on fresh state after a conflict, like `handle`.
   * @returns one outcome per item, in order
   * @throws database errors (the caller then handles the commands one at a time); a conflict only after 25 retries
   */
  async handleBatch(items: readonly BatchItem[]): Promise<BatchOutcome[]> {
    const caseIds = [...new Set(items.map((i) => i.caseId))];
    return this.withRetries(caseIds, (tx) => this.batchIn(tx, items));
  }

  /**
   * Handles a command inside the caller's transaction (the timer loop's, which holds the timer it
   * fires). Nothing outside the database changes until the caller reports the commit with
   * {@link CaseHandler.committed}; on a rollback the caller just drops the result.
   */
  async handleIn(tx: Tx, caseId: string, command: CaseCommand, options: HandleOptions): Promise<Handled> {
    if (options.messageId && !(await this.deps.store.markProcessed(tx, options.messageId, options.consumer))) {
      return { command: command.type, result: { status: 'duplicate' }, before: initialState(), events: [] };
    }
    const before = (await this.load(tx, [caseId])).get(caseId)!;
    const writes = new CaseWrites();
    const decided = await this.decideOne(tx, caseId, before, command, options, writes);
    const handOff = await writes.flush(this.deps.store, tx, (s) => this.deps.metrics.appendSeconds.observe(s), this.deps.handOffLeaseMs, this.deps.claims);
    return handOff ? { ...decided, handOff } : decided;
  }

  /** Drops a case's cached state (a caller of {@link CaseHandler.handleIn} whose transaction failed). */
  forget(caseId: string): void {
    this.cache.forget(caseId);
  }

  /** After the transaction of `handled` committed: caches the state, counts metrics (ignored commands too), hands its outbox rows to the relay. */
  committed(caseId: string, handled: Handled): void {
    this.record(caseId, handled);
    if (handled.result.status === 'applied' && handled.events.length > 0) this.deps.onCommitted?.(handled.handOff);
  }

  private record(caseId: string, handled: Handled): void {
    if (handled.result.status !== 'applied') return;
    if (handled.result.ignored) this.deps.metrics.commandsIgnored.inc({ command: handled.command, reason: handled.result.ignored });
    this.cache.set(caseId, handled.result.state);
    this.deps.metrics.recorded(handled.before, handled.result.state, handled.events);
  }

  private async withRetries<T>(caseIds: readonly string[], run: (tx: Tx) => Promise<{ outcomes: T[]; handled: { caseId: string; handled: Handled }[]; handOff?: HandOff }>): Promise<T[]> {
    const attemptOnce = async () => {
      try {
        const { outcomes, handled, handOff } = await this.deps.store.withTransaction(run);
        for (const h of handled) this.record(h.caseId, h.handled);
        if (handled.some((h) => h.handled.events.length > 0)) this.deps.onCommitted?.(handOff);
        return outcomes;
      } catch (error) {
        for (const id of caseIds) this.cache.forget(id);
        throw error;
      }
    };
    try {
      return await retryWithBackoff(attemptOnce, CONFLICT_BACKOFF, {
        shouldRetry: (error) => isConflict(error),
        onRetry: () => this.deps.metrics.conflicts.inc(),
      });
    } catch (error) {
      // After the last conflict, the conflict itself (the caller classifies it), not the wrapper.
      throw error instanceof RetriesExhaustedError ? error.cause : error;
    }
  }

  private async batchIn(tx: Tx, items: readonly BatchItem[]) {
    const { store } = this.deps;
    const consumer = items[0]?.options.consumer ?? 'orchestrator';
    if (items.some((i) => i.options.consumer !== consumer)) throw new Error('a batch is for one inbox consumer');
    const fresh = await store.markProcessedMany(tx, items.flatMap((i) => (i.options.messageId ? [i.options.messageId] : [])), consumer);
    const states = await this.load(tx, [...new Set(items.map((i) => i.caseId))]);
    const writes = new CaseWrites();
    const outcomes: BatchOutcome[] = [];
    const handled: { caseId: string; handled: Handled }[] = [];
    const deferredCases = new Set<string>();
    const unmark: string[] = [];
    const marked = new Set<string>();
    for (const { caseId, command, options } of items) {
      const id = options.messageId;
      const first = id !== undefined && fresh.has(id) && !marked.has(id);
      if (deferredCases.has(caseId)) {
        outcomes.push({ deferred: new Error(`an earlier command of case ${caseId} in this batch was deferred`) });
        if (first) { unmark.push(id); marked.add(id); }
        continue;
      }
      if (id !== undefined && !first) { outcomes.push({ outcome: { status: 'duplicate' } }); continue; }
      if (id !== undefined) marked.add(id);
      try {
        const decided = await this.decideOne(tx, caseId, states.get(caseId)!, command, options, writes);
        if (decided.result.status === 'applied') states.set(caseId, decided.result.state);
        outcomes.push({ outcome: decided.result });
        handled.push({ caseId, handled: decided });
      } catch (error) {
        if (isConflict(error)) throw error;
        deferredCases.add(caseId);
        outcomes.push({ deferred: error as Error });
        if (id !== undefined) unmark.push(id);
      }
    }
    if (unmark.length > 0) await store.unmarkProcessed(tx, unmark, consumer);
    const handOff = await writes.flush(store, tx, (s) => this.deps.metrics.appendSeconds.observe(s), this.deps.handOffLeaseMs, this.deps.claims);
    return { outcomes, handled, handOff };
  }

  /** Decides one command against `before` and adds its writes to `writes`; writes nothing itself. */
  private async decideOne(tx: Tx, caseId: string, before: CaseState, command: CaseCommand, options: HandleOptions, writes: CaseWrites): Promise<Handled> {
    if (command.type === 'StartCase' && before.status !== 'new') return { command: command.type, result: { status: 'already-started' }, before, events: [] };
    if (command.type !== 'StartCase' && before.status === 'new') throw new CaseNotStarted(command.type);
    const workflow = command.type === 'StartCase'
      ? options.workflow ?? fail(`StartCase for ${caseId} needs a workflow definition`)
      // On this transaction's connection: a second pooled connection per handler could exhaust the pool.
      : await this.deps.registry.get(before.workflow!, before.workflowVersion!, tx);
    const now = (this.deps.clock ?? Date.now)();
    const inputs = new InputCheck(this.deps.outbound, workflow, options);
    const children = await ChildCases.prepare({ catalog: this.deps.catalog, registry: this.deps.registry, topics: this.deps.topics ?? topicNames() }, workflow, tx, now);
    const ctx: DecideContext = {
      workflow, now, random: this.deps.random ?? Math.random,
      validateOutput: validateOutputWith(this.deps.catalog), validateInput: inputs.validate,
      childCaseId: children.childCaseId, validateChild: children.validate,
    };
    const decision = await decide(command, before, ctx);
    const state = decision.events.reduce(evolve, before);
    const { events, ignored } = decision;
    if (events.length === 0) {
      if (this.cache.get(caseId) === before) writes.expectUnchanged(caseId, before.eventCount);
      return { command: command.type, result: { status: 'applied', events: 0, state, ...(ignored ? { ignored } : {}) }, before, events };
    }
    const admitted = this.deps.admission?.split(caseId, command, decision, state, now) ?? { send: decision.requests, timers: decision.timers };
    const newEvents = this.deps.outbound.newEvents(events, options);
    const outgoing: OutgoingEvent[] = newEvents.map((e, i) => ({ ...e, streamId: caseId, streamPosition: before.eventCount + i + 1, recordedAt: now }));
    writes.add(caseId, {
      expectedVersion: before.eventCount,
      events: newEvents,
      outbox: [...admitted.send.map((r) => inputs.message(r)), ...children.messages(caseId, decision), ...outgoing.map((e) => this.deps.outbound.caseEvent(state, e, options))],
      cancel: decision.cancelTimers,
      ...('work' in admitted && admitted.work ? { also: admitted.work } : {}),
      schedule: admitted.timers.map((t) => ({ timerId: t.timerId, streamId: caseId, kind: t.kind, dueAt: t.dueAt, payload: { stepId: t.stepId, attempt: t.attempt } })),
    });
    return { command: command.type, result: { status: 'applied', events: events.length, state }, before, events };
  }

  /**
   * The cases' states. A cached state is used as it is: the cache only ever holds committed state,
   * and if another writer (a second orchestrator instance) moved the case on since, the append's
   * expected-version check fails and the transaction runs again with the cache forgotten. The
   * others are folded from their events, all in one read.
   */
  private async load(tx: Tx, caseIds: readonly string[]): Promise<Map<string, CaseState>> {
    const states = new Map<string, CaseState>();
    const missing = new Map<string, number>();
    for (const id of caseIds) {
      const cached = this.cache.get(id);
      if (cached) states.set(id, cached);
      else missing.set(id, 1);
    }
    if (missing.size > 0) {
      const read = await this.deps.store.readStreams(tx, missing);
      for (const [id, events] of read) states.set(id, events.reduce((state, e) => evolve(state, upcast(e)), initialState()));
    }
    return states;
  }
}

/** A lost race that running the transaction again on fresh state resolves. */
function isConflict(error: unknown): boolean {
  if (error instanceof WrongExpectedVersionError) return true;
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001'; // deadlock detected, serialization failure
}

function fail(message: string): never {
  throw new Error(message);
}
