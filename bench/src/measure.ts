import type { Pool } from 'pg';
import type { SchemaCatalog } from '@baton/avro';
import { ContractNames, type Wire } from '@baton/contracts';
import type { RawCase } from './baseline';
import { perSecond, summarize, type Summary } from './stats';
import type { HandledAt } from './worker/noop.step';
import { EDGES, STEP_IDS, type StepId } from './workload';

/** One recorded event of a case, as read back from the events table. */
export interface CaseEventRow { caseId: string; type: string; data: Record<string, unknown> }

/** What a Baton phase's latency figures are computed from. */
export interface BatonPhaseInput {
  caseIds: readonly string[];
  /** Case id -> trigger `requestedAt`, epoch ms. */
  requestedAt: ReadonlyMap<string, number>;
  events: readonly CaseEventRow[];
  /** When the worker's handler ran each attempt (from the worker process). */
  handled: readonly HandledAt[];
  /** `<caseId>:<stepId>:<attempt>` -> when the outbox relay marked the step request sent (epoch ms); optional. */
  publishedAt?: ReadonlyMap<string, number>;
}

/** Baton's figures for one phase. Every duration is ms; times are the events' own (the decider's clock). */
export interface BatonLatencies {
  cases: number;
  completed: number;
  failed: number;
  /** Completed cases per second, first trigger sent -> last `CaseCompleted`. */
  casesPerSecond: number | null;
  /** Step round trips (StepCompleted events) per second over the same window. */
  stepsPerSecond: number | null;
  /** Trigger `requestedAt` -> `CaseCompleted.completedAt`. */
  caseLatencyMs: Summary;
  /** Trigger `requestedAt` -> `CaseStarted.startedAt`: the trigger's trip into the orchestrator. */
  triggerToStartMs: Summary;
  /** `StepScheduled.scheduledAt` -> `StepCompleted.completedAt` of the same attempt, every step: dispatch to result. */
  dispatchToResultMs: Summary;
  dispatchToResultByStepMs: Record<StepId, Summary>;
  /** `StepCompleted` of a step -> `StepScheduled` of the step that needs it (a->b, b->c, c->d, c->e). */
  completedToNextScheduledMs: Summary;
  /** The last `StepCompleted` -> `CaseCompleted`. */
  lastStepToCaseCompletedMs: Summary;
  /** `StepScheduled` -> the worker's handler runs: commit, outbox relay, Kafka, SDK consume and decode. */
  dispatchLegMs: Summary;
  /** `StepScheduled` -> the relay marked the request sent (after the broker's ack): commit, NOTIFY, claim, produce, mark. */
  relayLegMs: Summary;
  /** The relay marked the request sent -> the handler ran: Kafka fetch and the SDK's decode (can be slightly negative: the mark follows the ack). */
  deliveryLegMs: Summary;
  /** The handler ran -> `StepCompleted` decided: SDK result, Kafka, orchestrator consume, inbox, load, decide. */
  resultLegMs: Summary;
  /** Attempts after the first (retries): 0 in a healthy run. */
  retriedAttempts: number;
  firstRequestedAt: number | null;
  lastCompletedAt: number | null;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/** Computes a Baton phase's figures from its cases' events (pure: no I/O). */
export function batonLatencies(input: BatonPhaseInput): BatonLatencies {
  const wanted = new Set(input.caseIds);
  const handled = new Map<string, number>();
  for (const [caseId, stepId, attempt, at] of input.handled) {
    const k = `${caseId}:${stepId}:${attempt}`;
    if (!handled.has(k)) handled.set(k, at);
  }
  type Step = { attempt: number; scheduledAt: number; completedAt: number };
  type Case = { startedAt: number; completedAt: number; failed: boolean; steps: Map<string, Step> };
  const cases = new Map<string, Case>();
  let retriedAttempts = 0;
  for (const e of input.events) {
    if (!wanted.has(e.caseId)) continue;
    const c = cases.get(e.caseId) ?? { startedAt: Number.NaN, completedAt: Number.NaN, failed: false, steps: new Map<string, Step>() };
    cases.set(e.caseId, c);
    const stepId = String(e.data.stepId);
    switch (e.type) {
      case 'CaseStarted': c.startedAt = num(e.data.startedAt); break;
      case 'CaseCompleted': c.completedAt = num(e.data.completedAt); break;
      case 'CaseFailed': case 'CaseCancelled': c.failed = true; break;
      case 'StepScheduled': {
        const attempt = num(e.data.attempt);
        if (attempt > 1) retriedAttempts++;
        // The last attempt's dispatch is the one its result answers.
        c.steps.set(stepId, { attempt, scheduledAt: num(e.data.scheduledAt), completedAt: Number.NaN });
        break;
      }
      case 'StepCompleted': {
        const s = c.steps.get(stepId);
        if (s && s.attempt === num(e.data.attempt)) s.completedAt = num(e.data.completedAt);
        break;
      }
    }
  }
  const caseLatency: number[] = [];
  const triggerToStart: number[] = [];
  const dispatch: number[] = [];
  const byStep = Object.fromEntries(STEP_IDS.map((s) => [s, [] as number[]])) as Record<StepId, number[]>;
  const gap: number[] = [];
  const close: number[] = [];
  const outLeg: number[] = [];
  const backLeg: number[] = [];
  const relayLeg: number[] = [];
  const deliveryLeg: number[] = [];
  let completed = 0;
  let failed = 0;
  let stepsCompleted = 0;
  let firstRequestedAt = Number.POSITIVE_INFINITY;
  let lastCompletedAt = Number.NEGATIVE_INFINITY;
  for (const id of input.caseIds) {
    const requestedAt = input.requestedAt.get(id);
    if (requestedAt !== undefined) firstRequestedAt = Math.min(firstRequestedAt, requestedAt);
    const c = cases.get(id);
    if (!c) continue;
    if (c.failed) failed++;
    if (requestedAt !== undefined) triggerToStart.push(c.startedAt - requestedAt);
    for (const [stepId, s] of c.steps) {
      if (!Number.isFinite(s.completedAt)) continue;
      stepsCompleted++;
      dispatch.push(s.completedAt - s.scheduledAt);
      byStep[stepId as StepId]?.push(s.completedAt - s.scheduledAt);
      const attemptKey = `${id}:${stepId}:${s.attempt}`;
      const ranAt = handled.get(attemptKey);
      const sentAt = input.publishedAt?.get(attemptKey);
      if (ranAt !== undefined) {
        outLeg.push(ranAt - s.scheduledAt);
        backLeg.push(s.completedAt - ranAt);
      }
      if (sentAt !== undefined) relayLeg.push(sentAt - s.scheduledAt);
      if (sentAt !== undefined && ranAt !== undefined) deliveryLeg.push(ranAt - sentAt);
    }
    for (const [from, to] of EDGES) {
      const a = c.steps.get(from);
      const b = c.steps.get(to);
      if (a && b) gap.push(b.scheduledAt - a.completedAt);
    }
    if (Number.isFinite(c.completedAt)) {
      completed++;
      lastCompletedAt = Math.max(lastCompletedAt, c.completedAt);
      if (requestedAt !== undefined) caseLatency.push(c.completedAt - requestedAt);
      close.push(c.completedAt - Math.max(...[...c.steps.values()].map((s) => s.completedAt)));
    }
  }
  const hasWindow = Number.isFinite(firstRequestedAt) && Number.isFinite(lastCompletedAt);
  return {
    cases: input.caseIds.length, completed, failed,
    casesPerSecond: hasWindow ? perSecond(completed, firstRequestedAt, lastCompletedAt) : null,
    stepsPerSecond: hasWindow ? perSecond(stepsCompleted, firstRequestedAt, lastCompletedAt) : null,
    caseLatencyMs: summarize(caseLatency),
    triggerToStartMs: summarize(triggerToStart),
    dispatchToResultMs: summarize(dispatch),
    dispatchToResultByStepMs: Object.fromEntries(STEP_IDS.map((s) => [s, summarize(byStep[s])])) as Record<StepId, Summary>,
    completedToNextScheduledMs: summarize(gap),
    lastStepToCaseCompletedMs: summarize(close),
    dispatchLegMs: summarize(outLeg),
    relayLegMs: summarize(relayLeg),
    deliveryLegMs: summarize(deliveryLeg),
    resultLegMs: summarize(backLeg),
    retriedAttempts,
    firstRequestedAt: hasWindow ? firstRequestedAt : null,
    lastCompletedAt: hasWindow ? lastCompletedAt : null,
  };
}

/** The baseline's figures for one phase. Durations ms. */
export interface RawLatencies {
  cases: number;
  /** Baseline cases (five round trips in the workflow's shape) per second, first ping -> last pong. */
  casesPerSecond: number | null;
  roundTripsPerSecond: number | null;
  caseLatencyMs: Summary;
  roundTripMs: Summary;
}

/** Computes a baseline phase's figures from its cases (pure). */
export function rawLatencies(cases: readonly RawCase[]): RawLatencies {
  if (cases.length === 0) {
    return { cases: 0, casesPerSecond: null, roundTripsPerSecond: null, caseLatencyMs: summarize([]), roundTripMs: summarize([]) };
  }
  const first = Math.min(...cases.map((c) => c.requestedAt));
  const last = Math.max(...cases.map((c) => c.completedAt));
  const trips = cases.flatMap((c) => c.roundTrips.map((t) => t.ms));
  return {
    cases: cases.length,
    casesPerSecond: perSecond(cases.length, first, last),
    roundTripsPerSecond: perSecond(trips.length, first, last),
    caseLatencyMs: summarize(cases.map((c) => c.completedAt - c.requestedAt)),
    roundTripMs: summarize(trips),
  };
}

/** Reads the case and step events of `caseIds` from the events table, in commit order. */
export async function readCaseEvents(pool: Pool, caseIds: readonly string[]): Promise<CaseEventRow[]> {
  const { rows } = await pool.query<{ stream_id: string; event_type: string; data: Record<string, unknown> }>(
    `SELECT stream_id, event_type, data FROM events
     WHERE stream_id = ANY($1) AND event_type IN ('CaseStarted', 'StepScheduled', 'StepCompleted', 'CaseCompleted', 'CaseFailed', 'CaseCancelled')
     ORDER BY global_position`, [caseIds]);
  return rows.map((r) => ({ caseId: r.stream_id, type: r.event_type, data: r.data }));
}

/**
 * When the outbox relay marked each step request of `caseIds` sent, by `<caseId>:<stepId>:<attempt>`
 * (epoch ms, the database's clock, which is this machine's).
 */
export async function readPublishedAt(pool: Pool, catalog: SchemaCatalog, caseIds: readonly string[], stepTopic: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ value: Buffer; sent_ms: number }>(
    `SELECT value, extract(epoch FROM sent_at) * 1000 AS sent_ms FROM outbox
     WHERE message_key = ANY($1) AND topic = $2 AND sent_at IS NOT NULL`, [caseIds, stepTopic]);
  const out = new Map<string, number>();
  for (const r of rows) {
    const q = catalog.decode<Wire.StepRequest>(r.value, ContractNames.StepRequest).value;
    out.set(`${q.caseId}:${q.stepId}:${q.attempt}`, Number(r.sent_ms));
  }
  return out;
}
