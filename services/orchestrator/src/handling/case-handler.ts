import type { SchemaCatalog } from '@baton/avro';
import type { DefinitionRegistry } from '@baton/definitions';
import { WrongExpectedVersionError, type EventStore, type Tx } from '@baton/event-store';
import {
  CaseNotStarted, COMPENSATION_PREFIX, decide, evolve, initialState, timerId, isTerminal, type CaseCommand, type CaseEvent,
  type CaseState, type DecideContext, type IgnoredReason, type StepResultFailed, type TimerRequest, type WorkflowDefinition,
} from '@baton/workflow-engine';
import type { OrchestratorMetrics } from '../metrics/orchestrator-metrics';
import { type Outbound, type Causation, type OutgoingEvent } from './outbound';
import { OutboxMessageTooLarge } from './outbox-message-too-large';
import { StateCache } from './state-cache';
import { validateOutputWith } from './validate-output';

/** What handling one command came to. */
export type HandleOutcome =
  /** Events were recorded (possibly none, for a late result or timer; `ignored` says why a step result was dropped). */
  | { status: 'applied'; events: number; state: CaseState; ignored?: IgnoredReason }
  /** The inbox had already seen the message: nothing changed. */
  | { status: 'duplicate' }
  /** A trigger for a case that exists: the key or trigger id already started it. */
  | { status: 'already-started' };

/** What one transaction of the handler did, for {@link CaseHandler.committed}. */
export interface Handled {
  result: HandleOutcome;
  before: CaseState;
  events: CaseEvent[];
}

/** Options of {@link CaseHandler.handle}. */
export interface HandleOptions extends Causation {
  /** Inbox consumer name; with `messageId`, a message seen before changes nothing. */
  consumer: string;
  /** For `StartCase`: the definition the case pins. Others use the one their case pinned. */
  workflow?: WorkflowDefinition;
}

const MAX_CONFLICT_RETRIES = 25;

/**
 * The one generic I/O shell around the decider. For each command, in ONE Postgres transaction:
 * inbox check, load the case (cached state plus the events after it), decide, append the events
 * with the expected version, write the outbox (step requests and public case events) and the
 * timers. A concurrent writer to the same case makes the append fail with
 * `WrongExpectedVersionError`; the whole transaction is then run again on fresh state.
 */
export class CaseHandler {
  private readonly cache = new StateCache();

  constructor(private readonly deps: {
    store: EventStore;
    registry: DefinitionRegistry;
    catalog: SchemaCatalog;
    outbound: Outbound;
    metrics: OrchestratorMetrics;
    /** Called after a transaction that wrote outbox rows committed (wakes the outbox relay). */
    onCommitted?: () => void;
    clock?: () => number;
    random?: () => number;
  }) {}

  /**
   * Handles a command in a transaction of its own, retried on fresh state when a concurrent writer
   * to the same case won (`WrongExpectedVersionError`) or Postgres broke a lock cycle (deadlock,
   * serialization failure).
   * @throws CaseCommandError subclasses from `decide` (a command that makes no sense for the case),
   *   WorkflowNotFound, and database errors; a conflict only after 25 retries.
   */
  async handle(caseId: string, command: CaseCommand, options: HandleOptions): Promise<HandleOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const handled = await this.deps.store.withTransaction((tx) => this.handleIn(tx, caseId, command, options));
        this.committed(caseId, handled);
        return handled.result;
      } catch (error) {
        this.cache.forget(caseId);
        if (!isConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        this.deps.metrics.conflicts.inc();
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Handles a command inside the caller's transaction (the timer loop's, which holds the timer it
   * fires). Nothing outside the database changes until the caller reports the commit with
   * {@link CaseHandler.committed}; on a rollback the caller just drops the result.
   */
  handleIn(tx: Tx, caseId: string, command: CaseCommand, options: HandleOptions): Promise<Handled> {
    return this.once(tx, caseId, command, options);
  }

  /** After the transaction of `handled` committed: caches the state, counts metrics, wakes the relay. */
  committed(caseId: string, handled: Handled): void {
    if (handled.result.status !== 'applied') return;
    this.cache.set(caseId, handled.result.state);
    this.deps.metrics.recorded(handled.before, handled.result.state, handled.events);
    if (handled.events.length > 0) this.deps.onCommitted?.();
  }

  private async once(tx: Tx, caseId: string, command: CaseCommand, options: HandleOptions): Promise<Handled> {
    const { store } = this.deps;
    if (options.messageId && !(await store.markProcessed(tx, options.messageId, options.consumer))) {
      return { result: { status: 'duplicate' } as HandleOutcome, before: initialState(), events: [] as CaseEvent[] };
    }
    const before = await this.load(tx, caseId);
    if (command.type === 'StartCase' && before.status !== 'new') {
      return { result: { status: 'already-started' } as HandleOutcome, before, events: [] as CaseEvent[] };
    }
    if (command.type !== 'StartCase' && before.status === 'new') throw new CaseNotStarted(command.type);
    const workflow = command.type === 'StartCase'
      ? options.workflow ?? fail(`StartCase for ${caseId} needs a workflow definition`)
      // On this transaction's connection: a second pooled connection per handler could exhaust the pool.
      : await this.deps.registry.get(before.workflow!, before.workflowVersion!, tx);
    const now = (this.deps.clock ?? Date.now)();
    const ctx: DecideContext = {
      workflow, now, random: this.deps.random ?? Math.random,
      validateOutput: validateOutputWith(this.deps.catalog),
    };
    const { state, events, requests, timers, ignored } = await this.decideAll(command, before, ctx, options);
    if (events.length === 0) return { result: { status: 'applied', events: 0, state, ...(ignored ? { ignored } : {}) } as HandleOutcome, before, events };

    // Timers before the append: the timer loop locks a timer row and then appends, so taking the
    // row locks first here keeps one lock order and no deadlock between the two.
    const done = timersToCancel(caseId, events, state);
    if (done.length > 0) await store.cancel(tx, done);
    if (timers.length > 0) {
      await store.schedule(tx, timers.map((t) => ({ timerId: t.timerId, streamId: caseId, kind: t.kind, dueAt: t.dueAt, payload: { stepId: t.stepId, attempt: t.attempt } })));
    }
    const newEvents = this.deps.outbound.newEvents(events, options);
    const started = process.hrtime.bigint();
    await store.appendToStream(tx, caseId, before.eventCount === 0 ? 'no-stream' : before.eventCount, newEvents);
    this.deps.metrics.appendSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);

    const outgoing: OutgoingEvent[] = newEvents.map((e, i) => ({ ...e, streamId: caseId, streamPosition: before.eventCount + i + 1, recordedAt: now }));
    await store.enqueue(tx, [...requests, ...outgoing.map((e) => this.deps.outbound.caseEvent(state, e, options))]);
    return { result: { status: 'applied', events: events.length, state } as HandleOutcome, before, events };
  }

  /**
   * Decides the command, then turns each step request into an outbox message. A request whose
   * input does not match its step type's contract cannot be sent: its attempt fails at once,
   * non-retryably (`InputSchemaViolation`), and that failure is decided in turn.
   */
  private async decideAll(command: CaseCommand, before: CaseState, ctx: DecideContext, causation: Causation) {
    let state = before;
    const events: CaseEvent[] = [];
    const requests: ReturnType<Outbound['stepRequest']>[] = [];
    const timers: TimerRequest[] = [];
    const queue: CaseCommand[] = [command];
    let ignored: IgnoredReason | undefined;
    for (let rounds = 0; queue.length > 0 && rounds < 1000; rounds++) {
      const decision = await decide(queue.shift()!, state, ctx);
      if (rounds === 0) ignored = decision.ignored;
      state = decision.events.reduce(evolve, state);
      events.push(...decision.events);
      timers.push(...decision.timers);
      for (const request of decision.requests) {
        try {
          const mapped = ctx.workflow.steps[request.stepId]?.input !== undefined;
          requests.push(this.deps.outbound.stepRequest(state, request, causation, { mapped }));
        } catch (error) {
          const error_ = error instanceof OutboxMessageTooLarge
            ? { name: 'InputTooLarge', message: `the request of step '${request.stepId}' cannot be sent: ${error.message}` }
            : { name: 'InputSchemaViolation', message: `the input of step '${request.stepId}' does not match the contract of step type '${request.stepType}': ${(error as Error).message}` };
          const failure: StepResultFailed = { type: 'StepResultFailed', data: { stepId: request.stepId, attempt: request.attempt, error: { ...error_, retryable: false } } };
          queue.push(failure);
        }
      }
    }
    return { state, events, requests, timers, ignored };
  }

  private async load(tx: Tx, caseId: string): Promise<CaseState> {
    const cached = this.cache.get(caseId) ?? initialState();
    const newer = await this.deps.store.readStream(caseId, { fromPosition: cached.eventCount + 1, tx });
    return newer.reduce((state, e) => evolve(state, { type: e.type, data: e.data } as CaseEvent), cached);
  }
}

/**
 * Timers that can no longer matter once these events are recorded: the timeout of an attempt
 * (or compensation) that finished, the timeout of a review that was decided, and the SLA once the
 * case ended. `decide` ignores them if they fire anyway; deleting them keeps the timer table and
 * the timer loop small.
 */
function timersToCancel(caseId: string, events: readonly CaseEvent[], state: CaseState): string[] {
  const ids: string[] = [];
  for (const e of events) {
    if (e.type === 'StepCompleted' || e.type === 'StepAttemptFailed') ids.push(timerId(caseId, 'attempt-timeout', e.data.stepId, e.data.attempt));
    else if (e.type === 'CompensationCompleted' || e.type === 'CompensationFailed') ids.push(timerId(caseId, 'attempt-timeout', `${COMPENSATION_PREFIX}${e.data.stepId}`, e.data.attempt));
    else if (e.type === 'ReviewDecided') {
      const attempt = state.tasks[e.data.taskId]?.attempt;
      if (attempt !== undefined) ids.push(timerId(caseId, 'review-timeout', e.data.stepId, attempt));
    }
  }
  if (isTerminal(state)) ids.push(timerId(caseId, 'sla'));
  return ids;
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
