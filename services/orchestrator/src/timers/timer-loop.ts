import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { streamTraceContext, type DueTimer, type EventStore, type Tx } from '@baton/event-store';
import { extractTraceContext, injectTraceHeaders } from '@baton/kafka';
import { log, telemetry } from '@baton/observability';
import { CaseCommandError, type TimerKind } from '@baton/workflow-engine';
import type { CaseHandler, Handled } from '../handling/case-handler';

/** Options of {@link TimerLoop}. */
export interface TimerLoopOptions {
  /** Wait between rounds when no timer is due, ms; default 100. */
  pollMs?: number;
  /** Timers fired per round at most; default 100. */
  batchSize?: number;
  /** Timers claimed (and fired) per transaction; default 1, so one case's conflict delays no other. */
  claimSize?: number;
  /** Failures of one timer in a row before it is postponed, so it cannot hold back later timers; default 3. */
  postponeAfter?: number;
  /** How far a failing timer is postponed, ms, doubling with each further failure up to 60 000; default 1 000. */
  postponeMs?: number;
  /** The clock, epoch ms. */
  clock?: () => number;
  /**
   * Fault injection for tests: called after the claim and before its timers are handled, inside
   * the claiming transaction. Throwing rolls the claim back.
   */
  afterClaim?: (timers: readonly DueTimer[]) => Promise<void> | void;
}

const MAX_POSTPONE_MS = 60_000;
const tracer = trace.getTracer('@baton/orchestrator');

/**
 * Fires due durable timers through the same handler as Kafka messages. Timers are claimed
 * (`FOR UPDATE SKIP LOCKED`, deleted) in the transaction that records their effects, and every
 * timer a claim returns is fired in it: a crash either fires them completely or leaves them due;
 * several orchestrator instances never fire one timer twice.
 *
 * A timer whose firing keeps failing (a database error its data causes) is postponed with
 * backoff after `postponeAfter` failures in a row, so the earliest due timer cannot stall every
 * later one; it stays in the table and is found by the stuck-case check while it fails.
 */
export class TimerLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly failures = new Map<string, number>();
  private wake: (() => void) | null = null;
  /** Timers fired since start. */
  fired = 0;
  /** Timers postponed after repeated failures since start. */
  postponed = 0;

  constructor(private readonly store: EventStore, private readonly handler: CaseHandler, private readonly options: TimerLoopOptions = {}) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the claim in progress (a sleeping loop wakes at once). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Fires up to `batchSize` due timers; returns how many fired.
   * @throws database errors of a claim (its timers stay due)
   */
  async fireDue(): Promise<number> {
    const max = this.options.batchSize ?? 100;
    let n = 0;
    while (n < max) {
      const fired = await this.fireClaim();
      if (fired === 0) break;
      n += fired;
    }
    return n;
  }

  /** Claims up to `claimSize` due timers and fires every one of them in the claiming transaction. */
  private async fireClaim(): Promise<number> {
    const now = (this.options.clock ?? Date.now)();
    let claimed: DueTimer[] = [];
    let results: { caseId: string; handled: Handled | null }[];
    try {
      results = await this.store.withTransaction(async (tx) => {
        claimed = await this.store.claimDue(tx, now, this.options.claimSize ?? 1);
        await this.options.afterClaim?.(claimed);
        const out: { caseId: string; handled: Handled | null }[] = [];
        // Every row the claim deleted is fired here: a row dropped would be a timer lost with its case.
        for (const timer of claimed) out.push({ caseId: timer.streamId, handled: await this.fireIn(tx, timer) });
        return out;
      });
    } catch (error) {
      await this.failed(claimed, error as Error);
      throw error;
    }
    for (const { caseId, handled } of results) if (handled) this.handler.committed(caseId, handled);
    for (const timer of claimed) this.failures.delete(timer.timerId);
    this.fired += results.length;
    return results.length;
  }

  /**
   * Fires one timer in a `fire timer <kind>` span that continues its case's trace (the trace
   * context of the case's latest event that recorded one), so what it causes stays in that trace.
   */
  private async fireIn(tx: Tx, timer: DueTimer): Promise<Handled | null> {
    const payload = (timer.payload ?? {}) as { stepId?: string; attempt?: number };
    // One indexed read per firing, only when traces are exported.
    const parent = telemetry().enabled ? extractTraceContext(await streamTraceContext(tx, timer.streamId)) : context.active();
    const span = tracer.startSpan(`fire timer ${timer.kind}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'baton.case_id': timer.streamId, 'baton.timer_id': timer.timerId, 'baton.timer_kind': timer.kind, ...(payload.stepId ? { 'baton.step_id': payload.stepId } : {}) },
    }, parent);
    const traceHeaders = injectTraceHeaders({}, trace.setSpan(parent, span));
    try {
      return await this.handler.handleIn(tx, timer.streamId, {
        type: 'TimerFired',
        data: { timerId: timer.timerId, kind: timer.kind as TimerKind, ...(payload.stepId ? { stepId: payload.stepId } : {}), ...(payload.attempt ? { attempt: payload.attempt } : {}) },
      }, { consumer: 'timers', traceHeaders });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      // A timer its case cannot take (the case is gone, the step unknown) is dropped, not fired for ever.
      if (!(error instanceof CaseCommandError)) throw error;
      log('warn', 'timers', `dropped timer ${timer.timerId}: ${error.message}`);
      return null;
    } finally {
      span.end();
    }
  }

  /** Counts a failed claim against its timers; one failing `postponeAfter` times in a row is moved later. */
  private async failed(claimed: readonly DueTimer[], error: Error): Promise<void> {
    const threshold = this.options.postponeAfter ?? 3;
    for (const timer of claimed) {
      const n = (this.failures.get(timer.timerId) ?? 0) + 1;
      this.failures.set(timer.timerId, n);
      if (n < threshold) continue;
      const delay = Math.min((this.options.postponeMs ?? 1000) * 2 ** (n - threshold), MAX_POSTPONE_MS);
      const dueAt = (this.options.clock ?? Date.now)() + delay;
      try {
        await this.store.withTransaction((tx) => this.store.postpone(tx, timer.timerId, dueAt));
        this.postponed++;
        log('error', 'timers', `timer ${timer.timerId} of case ${timer.streamId} failed ${n} times in a row, postponed by ${delay} ms: ${error.name}: ${error.message}`);
      } catch (e) {
        log('warn', 'timers', `could not postpone timer ${timer.timerId}: ${(e as Error).message}`);
      }
    }
    if (this.failures.size > 10_000) this.failures.clear();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.fireDue();
      } catch (error) {
        log('warn', 'timers', `firing timers failed, retrying: ${(error as Error).message}`);
      }
      if (n === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 100);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
        this.wake = null;
      }
    }
  }
}
