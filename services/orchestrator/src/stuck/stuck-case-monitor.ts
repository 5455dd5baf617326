import type { EventStore } from '@baton/event-store';
import { log } from '@baton/observability';
import { findStuckCases, type StuckCase } from '@baton/projections';
import type { Gauge } from 'prom-client';

/** Options of {@link StuckCaseMonitor}. */
export interface StuckCaseMonitorOptions {
  /** Time between checks, ms; 0 turns the check off. */
  intervalMs: number;
  /** Set to the number of stuck cases after each check (`baton_cases_stuck`). */
  gauge: Gauge<string>;
}

/**
 * Runs the stuck-case check (`findStuckCases`) periodically: sets `baton_cases_stuck` and logs
 * each case once when it is first found stuck, with the reasons and the repair command. It
 * repairs nothing itself: a stuck case means a bug or lost data, and a person should look first.
 */
export class StuckCaseMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private reported = new Set<string>();
  /** The cases found stuck by the last check. */
  last: StuckCase[] = [];

  constructor(private readonly store: EventStore, private readonly options: StuckCaseMonitorOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => { this.running ??= this.check().finally(() => { this.running = null; }); }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One check; never throws (a failed check is logged and leaves the gauge as it was). */
  async check(): Promise<StuckCase[]> {
    try {
      const stuck = await findStuckCases(this.store);
      this.options.gauge.set(stuck.length);
      const now = new Set(stuck.map((c) => c.caseId));
      for (const c of stuck) {
        if (this.reported.has(c.caseId)) continue;
        log('error', 'stuck-cases', `case ${c.caseId} (${c.workflow} v${c.workflowVersion}, ${c.status}) is stuck: ${c.reasons.join('; ')}; repair with: ${c.repair}`);
      }
      this.reported = now;
      this.last = stuck;
      return stuck;
    } catch (error) {
      log('warn', 'stuck-cases', `the stuck-case check failed: ${(error as Error).message}`);
      return this.last;
    }
  }
}
