import { Counter, type Registry } from 'prom-client';
import { caseIdFor } from '@baton/contracts';
import type { DefinitionRegistry } from '@baton/definitions';
import { advanceSchedule, claimDueSchedules, syncSchedules, type EventStore, type Schedule, type Tx } from '@baton/event-store';
import { log } from '@baton/observability';
import { cronTicks, type CronTrigger, type WorkflowDefinition } from '@baton/workflow-engine';
import type { CaseHandler, Handled } from '../handling/case-handler';

/** Options of {@link ScheduleLoop}. */
export interface ScheduleLoopOptions {
  /** Wait between rounds when no schedule is due, ms; default 200. */
  pollMs?: number;
  /** How often the schedules are made what the workflows' latest versions declare, ms; default 5 000. */
  syncMs?: number;
  /** Ticks older than this when they come to be fired (after downtime) are skipped and counted, ms; default 60 000. A trigger's `catchupWindow` wins. */
  catchupWindowMs?: number;
  /** Ticks one schedule fires in one transaction at most; default 100 (a long catch-up goes on in the next round). */
  maxTicksPerRound?: number;
  /** Where `baton_schedule_fires_total` and `baton_schedule_ticks_skipped_total` go. */
  metrics?: Registry;
  /** The clock, epoch ms. */
  clock?: () => number;
}

/**
 * Fires the workflows' cron triggers. Schedules are rows of the `schedules` table (kept in step with
 * the latest version of every workflow each `syncMs`); a round claims one due schedule with
 * `FOR UPDATE SKIP LOCKED` and, in that same transaction, starts a case for each of its ticks up to
 * now through the case handler, then records the next tick. So with several orchestrators each tick
 * is fired exactly once: the claim keeps two rounds off one schedule, the commit makes the cases
 * and the advance one fact, and each fire's case id is derived from (schedule, tick) (`caseIdFor`
 * with key `<schedule id>@<tick ISO time>`, inbox id `schedule:<schedule id>:<tick ms>`), so even a
 * fire repeated after a lost commit names the same case.
 *
 * Ticks older than the catch-up window (downtime), or from before an unpause, are skipped and
 * counted (`skipped_count`, `baton_schedule_ticks_skipped_total`).
 */
export class ScheduleLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSync = 0;
  private readonly fires: Counter<'schedule'>;
  private readonly skips: Counter<'schedule'>;
  /** Ticks fired since start (by this process). */
  fired = 0;

  constructor(private readonly store: EventStore, private readonly registry: DefinitionRegistry, private readonly handler: CaseHandler, private readonly options: ScheduleLoopOptions = {}) {
    const registers = options.metrics ? [options.metrics] : [];
    this.fires = new Counter({ name: 'baton_schedule_fires_total', help: 'Cron ticks that started a case, by schedule.', labelNames: ['schedule'], registers });
    this.skips = new Counter({ name: 'baton_schedule_ticks_skipped_total', help: 'Cron ticks skipped: older than the catch-up window, or missed while paused.', labelNames: ['schedule'], registers });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Makes the `schedules` table what the latest version of every workflow declares (its cron triggers).
   * @throws database errors
   */
  async sync(): Promise<void> {
    const now = this.now();
    const latest = new Map<string, number>();
    for (const v of await this.registry.list()) latest.set(v.name, Math.max(latest.get(v.name) ?? 0, v.version));
    for (const [name, version] of latest) {
      const definition = await this.registry.get(name, version);
      const crons = (definition.triggers ?? []).filter((t): t is CronTrigger => t.kind === 'cron');
      await this.store.withTransaction((tx) => syncSchedules(tx, name, version, crons.map((t) => ({
        scheduleId: `${name}:${t.id}`, cron: t.cron, timezone: t.timezone, input: { ...t.input }, catchupWindowMs: t.catchupWindowMs ?? null,
        firstFireAt: cronTicks(t, now, now, 0).next,
      }))));
    }
    this.lastSync = now;
  }

  /**
   * Fires every due schedule (one per transaction); returns how many ticks started cases.
   * @throws database errors of a round (its schedule stays due)
   */
  async fireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const round = await this.fireOne();
      if (round === null) return total;
      total += round;
    }
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.now() - this.lastSync >= (this.options.syncMs ?? 5000)) await this.sync();
        await this.fireDue();
      } catch (error) {
        log('error', 'schedules', `a schedule round failed: ${(error as Error).message}`);
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 200);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
    }
  }

  /** Claims one due schedule and fires its ticks up to now; null when none was due. */
  private async fireOne(): Promise<number | null> {
    const now = this.now();
    const done = await this.store.withTransaction(async (tx) => {
      const [schedule] = await claimDueSchedules(tx, now, 1);
      if (!schedule) return null;
      return { schedule, ...(await this.fireTicks(tx, schedule, now)) };
    });
    if (!done) return null;
    for (const { caseId, handled } of done.started) this.handler.committed(caseId, handled);
    if (done.started.length > 0) this.fires.inc({ schedule: done.schedule.scheduleId }, done.started.length);
    if (done.skipped > 0) {
      this.skips.inc({ schedule: done.schedule.scheduleId }, done.skipped);
      log('warn', 'schedules', `schedule ${done.schedule.scheduleId} skipped ${done.skipped} ticks (older than its catch-up window, or missed while paused)`);
    }
    this.fired += done.started.length;
    return done.started.length;
  }

  private async fireTicks(tx: Tx, schedule: Schedule, now: number): Promise<{ started: { caseId: string; handled: Handled }[]; skipped: number }> {
    const max = this.options.maxTicksPerRound ?? 100;
    const { ticks, next } = cronTicks(schedule, schedule.nextFireAt! - 1, now, max);
    const window = schedule.catchupWindowMs ?? this.options.catchupWindowMs ?? 60_000;
    let definition: WorkflowDefinition | null = null;
    const started: { caseId: string; handled: Handled }[] = [];
    let skipped = 0;
    let lastFiredAt: number | null = null;
    for (const tick of ticks) {
      if (tick < now - window || (schedule.resumedAt !== null && tick < schedule.resumedAt)) { skipped++; continue; }
      definition ??= await this.registry.get(schedule.workflow, schedule.workflowVersion, tx);
      const key = `${schedule.scheduleId}@${new Date(tick).toISOString()}`;
      const caseId = caseIdFor({ workflow: schedule.workflow, key, triggerId: key });
      const handled = await this.handler.handleIn(tx, caseId, { type: 'StartCase', data: { caseId, input: schedule.input, key, triggeredBy: 'cron' } }, {
        consumer: 'schedules', messageId: `schedule:${schedule.scheduleId}:${tick}`, workflow: definition,
      });
      started.push({ caseId, handled });
      lastFiredAt = tick;
    }
    // A full round leaves the rest of a long catch-up to the next one: `next` is then due already.
    await advanceSchedule(tx, schedule.scheduleId, { nextFireAt: next, lastFiredAt, fired: started.length, skipped });
    return { started, skipped };
  }
}
