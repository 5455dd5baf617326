import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { caseDurationBuckets, latencyBuckets, scrapedGauge } from '@baton/observability';
import type { PartitionLag, PartitionStall } from '@baton/kafka';
import type { ProjectionLag } from '@baton/projections';
import type { CaseEvent, CaseState } from '@baton/workflow-engine';

/** Sources read when Prometheus scrapes (each a cheap query). */
export interface MetricSources {
  /** Partitions of the inbound consumers holding a message in handling, with its age. */
  stalls(): PartitionStall[];
  outboxBacklog(): Promise<number>;
  timersDue(): Promise<number>;
  openTasksByQueue(): Promise<Record<string, number>>;
  /** Lag of each inbound consumer group, per partition. Each of the four below is optional: without it its gauge is absent. */
  consumerLag?(): Promise<PartitionLag[]>;
  /** Age of the oldest unsent outbox row, seconds. */
  outboxOldestUnsentSeconds?(): Promise<number>;
  /** How long the oldest due timer has been due, seconds. */
  timersOldestDueSeconds?(): Promise<number>;
  /** The projector's lag; `null` when this instance runs no projector (the gauges are then absent). */
  projectionLag?(): Promise<ProjectionLag | null>;
}

/**
 * The orchestrator's `baton_` metrics. Counters move from the events a transaction recorded,
 * after it committed, so a rolled-back attempt counts nothing.
 */
export class OrchestratorMetrics {
  readonly casesStarted: Counter<'workflow'>;
  readonly casesCompleted: Counter<'workflow'>;
  readonly casesFailed: Counter<'workflow'>;
  readonly casesCancelled: Counter<'workflow'>;
  readonly caseDuration: Histogram<'workflow' | 'outcome'>;
  readonly stepAttempts: Counter<'step_type' | 'outcome'>;
  readonly stepDuration: Histogram<'step_type' | 'outcome'>;
  readonly stepTokens: Counter<'step_type' | 'model' | 'direction'>;
  readonly stepCost: Counter<'step_type' | 'model'>;
  readonly slaBreaches: Counter<'workflow'>;
  readonly appendSeconds: Histogram<string>;
  readonly conflicts: Counter<string>;
  readonly deadLettered: Counter<'topic' | 'reason'>;
  readonly resultsIgnored: Counter<'reason'>;
  /** `baton_commands_ignored_total{command,reason}`: every command the decider ignored. */
  readonly commandsIgnored: Counter<'command' | 'reason'>;
  readonly outboxOversized: Counter<'topic'>;
  readonly casesStuck: Gauge<string>;

  constructor(registry: Registry, sources: MetricSources) {
    const r = [registry];
    this.casesStarted = new Counter({ name: 'baton_cases_started_total', help: 'Cases started, by workflow.', labelNames: ['workflow'], registers: r });
    this.casesCompleted = new Counter({ name: 'baton_cases_completed_total', help: 'Cases completed, by workflow.', labelNames: ['workflow'], registers: r });
    this.casesFailed = new Counter({ name: 'baton_cases_failed_total', help: 'Cases failed (after compensation), by workflow.', labelNames: ['workflow'], registers: r });
    this.casesCancelled = new Counter({ name: 'baton_cases_cancelled_total', help: 'Cases cancelled by an operator, by workflow.', labelNames: ['workflow'], registers: r });
    this.caseDuration = new Histogram({ name: 'baton_case_duration_seconds', help: 'Time from case start to its end, seconds.', labelNames: ['workflow', 'outcome'], buckets: caseDurationBuckets, registers: r });
    this.stepAttempts = new Counter({ name: 'baton_step_attempts_total', help: 'Step attempts finished, by step type and outcome (completed, failed, timed_out).', labelNames: ['step_type', 'outcome'], registers: r });
    this.stepDuration = new Histogram({ name: 'baton_step_duration_seconds', help: 'Step attempt duration from dispatch to result, seconds.', labelNames: ['step_type', 'outcome'], buckets: latencyBuckets, registers: r });
    this.stepTokens = new Counter({ name: 'baton_step_tokens_total', help: 'Model tokens reported by steps, by direction (input, output).', labelNames: ['step_type', 'model', 'direction'], registers: r });
    this.stepCost = new Counter({ name: 'baton_step_cost_usd_total', help: 'Model cost reported by steps, US dollars.', labelNames: ['step_type', 'model'], registers: r });
    this.slaBreaches = new Counter({ name: 'baton_sla_breaches_total', help: 'Cases still open when their workflow SLA ran out.', labelNames: ['workflow'], registers: r });
    this.appendSeconds = new Histogram({ name: 'baton_event_store_append_seconds', help: 'Latency of one event-store append, seconds.', buckets: latencyBuckets, registers: r });
    this.conflicts = new Counter({ name: 'baton_event_store_conflicts_total', help: 'Appends that lost an optimistic-concurrency race and were retried.', registers: r });
    this.deadLettered = new Counter({ name: 'baton_dead_lettered_messages_total', help: 'Messages sent to a dead-letter topic, by original topic and reason.', labelNames: ['topic', 'reason'], registers: r });
    this.resultsIgnored = new Counter({ name: 'baton_results_ignored_total', help: 'Step results dropped as late or stale, by reason (case-ended, case-compensating, stale-attempt).', labelNames: ['reason'], registers: r });
    this.commandsIgnored = new Counter({ name: 'baton_commands_ignored_total', help: 'Commands the decider ignored (recorded nothing), by command type and reason (IgnoredReason: case-ended, stale-timer, heartbeat-early, ...).', labelNames: ['command', 'reason'], registers: r });
    this.outboxOversized = new Counter({ name: 'baton_outbox_oversized_total', help: 'Outbox rows larger than the broker accepts, sent to the dead-letter topic without their value, by topic.', labelNames: ['topic'], registers: r });
    new Gauge({
      name: 'baton_consumer_stalled_seconds', help: 'How long the oldest message in handling on an inbound partition has been held, seconds (absent when none is).', labelNames: ['topic', 'partition'], registers: r,
      collect() {
        this.reset();
        for (const s of sources.stalls()) this.set({ topic: s.topic, partition: String(s.partition) }, s.seconds);
      },
    });
    this.casesStuck = new Gauge({ name: 'baton_cases_stuck', help: 'Open cases that nothing will wake (a timer their events expect is gone, or nothing is pending), from the last stuck-case check.', registers: r });
    new Gauge({ name: 'baton_outbox_backlog', help: 'Outbox messages not yet published.', registers: r, async collect() { this.set(await sources.outboxBacklog()); } });
    new Gauge({ name: 'baton_timers_due', help: 'Durable timers due and not yet fired.', registers: r, async collect() { this.set(await sources.timersDue()); } });
    scrapedGauge(registry, 'baton_consumer_lag', 'Messages not yet consumed (high watermark minus committed offset), by consumer group, topic and partition.', ['group', 'topic', 'partition'],
      async () => ((await sources.consumerLag?.()) ?? []).map((l) => ({ labels: { group: l.group, topic: l.topic, partition: l.partition }, value: l.lag })));
    scrapedGauge(registry, 'baton_outbox_oldest_unsent_seconds', 'Age of the oldest outbox message not yet published, seconds (0 when none is).', [],
      async () => (sources.outboxOldestUnsentSeconds ? [{ labels: {}, value: await sources.outboxOldestUnsentSeconds() }] : []));
    scrapedGauge(registry, 'baton_timers_oldest_due_seconds', 'How long the oldest due timer has been due and not fired, seconds (0 when none is).', [],
      async () => (sources.timersOldestDueSeconds ? [{ labels: {}, value: await sources.timersOldestDueSeconds() }] : []));
    const lag = (pick: (l: ProjectionLag) => number) => async () => { const l = (await sources.projectionLag?.()) ?? null; return l ? [{ labels: {}, value: pick(l) }] : []; };
    scrapedGauge(registry, 'baton_projection_lag_events', 'Committed events the projector has not applied yet (absent where no projector runs).', [], lag((l) => l.events));
    scrapedGauge(registry, 'baton_projection_lag_seconds', 'Age of the oldest event the projector has not applied yet, seconds (absent where no projector runs).', [], lag((l) => l.seconds));
    new Gauge({
      name: 'baton_open_human_tasks', help: 'Open review tasks, by queue.', labelNames: ['queue'], registers: r,
      async collect() {
        this.reset();
        for (const [queue, n] of Object.entries(await sources.openTasksByQueue())) this.set({ queue }, n);
      },
    });
  }

  /** Counts what one committed transaction recorded for a case. */
  recorded(before: CaseState, after: CaseState, events: readonly CaseEvent[]): void {
    const workflow = after.workflow ?? 'unknown';
    for (const e of events) {
      switch (e.type) {
        case 'CaseStarted': this.casesStarted.inc({ workflow }); break;
        case 'CaseCompleted': this.ended(after, 'completed', this.casesCompleted); break;
        case 'CaseFailed': this.ended(after, 'failed', this.casesFailed); break;
        case 'CaseCancelled': this.ended(after, 'cancelled', this.casesCancelled); break;
        case 'SlaBreached': this.slaBreaches.inc({ workflow }); break;
        case 'StepCompleted': {
          const stepType = after.steps[e.data.stepId]?.stepType ?? 'unknown';
          this.attempt(stepType, 'completed', e.data.durationMs);
          const m = e.data.metering;
          if (m) {
            this.stepTokens.inc({ step_type: stepType, model: m.model, direction: 'input' }, m.inputTokens);
            this.stepTokens.inc({ step_type: stepType, model: m.model, direction: 'output' }, m.outputTokens);
            this.stepCost.inc({ step_type: stepType, model: m.model }, m.costUsd);
          }
          break;
        }
        case 'StepAttemptFailed': this.finishedAttempt(before, after, e.data.stepId, e.data.attempt, 'failed', e.data.failedAt); break;
        case 'StepTimedOut': this.finishedAttempt(before, after, e.data.stepId, e.data.attempt, 'timed_out', e.data.timedOutAt); break;
        default: break;
      }
    }
  }

  private ended(state: CaseState, outcome: string, counter: Counter<'workflow'>): void {
    const workflow = state.workflow ?? 'unknown';
    counter.inc({ workflow });
    if (state.startedAt !== null && state.finishedAt !== null) this.caseDuration.observe({ workflow, outcome }, (state.finishedAt - state.startedAt) / 1000);
  }

  private finishedAttempt(before: CaseState, after: CaseState, stepId: string, attempt: number, outcome: string, at: number): void {
    const step = after.steps[stepId] ?? before.steps[stepId];
    const record = step?.attempts.find((a) => a.attempt === attempt);
    this.attempt(step?.stepType ?? 'unknown', outcome, record ? at - record.scheduledAt : undefined);
  }

  private attempt(stepType: string, outcome: string, durationMs: number | undefined): void {
    this.stepAttempts.inc({ step_type: stepType, outcome });
    if (durationMs !== undefined) this.stepDuration.observe({ step_type: stepType, outcome }, durationMs / 1000);
  }
}
