import type { EventStore } from '@baton/event-store';
import { log } from '@baton/observability';
import { CaseCommandError, type TimerKind } from '@baton/workflow-engine';
import type { CaseHandler } from '../handling/case-handler';

/** Options of {@link TimerLoop}. */
export interface TimerLoopOptions {
  /** Wait between rounds when no timer is due, ms; default 100. */
  pollMs?: number;
  /** Timers fired per round at most; default 100. */
  batchSize?: number;
  /** The clock, epoch ms. */
  clock?: () => number;
}

/**
 * Fires due durable timers through the same handler as Kafka messages. Each timer is claimed
 * (`FOR UPDATE SKIP LOCKED`, deleted) in the transaction that records its effects, so a crash
 * either fires it completely or leaves it due; several orchestrator instances never fire one
 * timer twice.
 */
export class TimerLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  /** Timers fired since start. */
  fired = 0;

  constructor(private readonly store: EventStore, private readonly handler: CaseHandler, private readonly options: TimerLoopOptions = {}) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Fires up to `batchSize` due timers; returns how many fired. */
  async fireDue(): Promise<number> {
    let n = 0;
    while (n < (this.options.batchSize ?? 100)) {
      const fired = await this.fireOne();
      if (!fired) break;
      n++;
    }
    return n;
  }

  private async fireOne(): Promise<boolean> {
    const now = (this.options.clock ?? Date.now)();
    const fired = await this.store.withTransaction(async (tx) => {
      const [timer] = await this.store.claimDue(tx, now, 1);
      if (!timer) return null;
      const payload = (timer.payload ?? {}) as { stepId?: string; attempt?: number };
      try {
        const handled = await this.handler.handleIn(tx, timer.streamId, {
          type: 'TimerFired',
          data: { timerId: timer.timerId, kind: timer.kind as TimerKind, ...(payload.stepId ? { stepId: payload.stepId } : {}), ...(payload.attempt ? { attempt: payload.attempt } : {}) },
        }, { consumer: 'timers' });
        return { caseId: timer.streamId, handled };
      } catch (error) {
        // A timer its case cannot take (the case is gone, the step unknown) is dropped, not fired for ever.
        if (!(error instanceof CaseCommandError)) throw error;
        log('warn', 'timers', `dropped timer ${timer.timerId}: ${error.message}`);
        return { caseId: timer.streamId, handled: null };
      }
    });
    if (!fired) return false;
    if (fired.handled) this.handler.committed(fired.caseId, fired.handled);
    this.fired++;
    return true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.fireDue();
      } catch (error) {
        log('warn', 'timers', `firing timers failed, retrying: ${(error as Error).message}`);
      }
      if (n === 0) await new Promise((r) => setTimeout(r, this.options.pollMs ?? 100));
    }
  }
}
