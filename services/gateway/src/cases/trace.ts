import { caseControlsView, type CaseControlsView, type CaseDetail, type StepExecution, type TimelineEntry } from '@baton/projections';
import { foldEvents, parseMapItemStepId, upcast, type StepError } from '@baton/workflow-engine';
import { emptyItems, tallyItem, type TraceItems } from './trace-items';

/** One attempt of a step (or of a compensation) in a {@link CaseTrace}. Offsets and durations in ms. */
export interface TraceAttempt {
  attempt: number;
  status: StepExecution['status'];
  /** When the attempt was dispatched, from the case start. */
  startOffsetMs: number;
  /** Dispatch to result; for a running attempt, dispatch to `generatedAt`. */
  durationMs: number;
  scheduledAt: string;
  finishedAt: string | null;
  deadline: string;
  input: unknown;
  output: unknown;
  error: StepError | null;
  model: string | null;
  modelVersion: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** How long the attempt waited for its step type's limits (concurrency, rate, breaker) before it was sent (`StepAdmitted.waitedMs`); absent when it was not held. */
  queueWaitMs?: number;
}

/** A review task of a step, as its events left it. */
export interface TraceReview {
  taskId: string;
  attempt: number;
  queue: string;
  reason: string;
  status: 'open' | 'decided' | 'withdrawn';
  escalated: boolean;
  requestOffsetMs: number;
  requestedAt: string;
  decision: 'approve' | 'reject' | 'edit' | null;
  decidedBy: 'reviewer' | 'timeout' | null;
  reviewer: string | null;
  comment: string | null;
  /** The corrected output of an `edit`. */
  editedOutput: unknown;
  decidedAt: string | null;
  /** Request to decision (or to `generatedAt` while open). */
  waitMs: number;
}

/** One step of a case with every attempt and review; compensations are steps named `compensate:<stepId>`. */
export interface TraceStep {
  stepId: string;
  stepType: string | null;
  /** The step's status in the case (`pending`, `running`, `completed`, `skipped`, `failed`...). */
  status: string;
  /** Set for a skipped step: `when-false` or `needs-skipped`. */
  skipReason: string | null;
  /** First dispatch (or skip) from the case start; `null` for a step with neither. */
  startOffsetMs: number | null;
  attempts: TraceAttempt[];
  reviews: TraceReview[];
  /** On a `map` step: its item attempts counted (not listed in `attempts`). */
  items?: TraceItems;
}

/**
 * The step-level timeline of a case, shaped for a waterfall: steps in the order they first
 * started, each with its attempts (offsets from the case start) and review decisions.
 */
export interface CaseTrace {
  caseId: string;
  workflow: string;
  version: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  /** Start to end; for a case still open, start to `generatedAt`. The scale of a waterfall. */
  durationMs: number;
  generatedAt: string;
  failure: { stepId: string; error: StepError } | null;
  totals: { attempts: number; inputTokens: number; outputTokens: number; costUsd: number };
  steps: TraceStep[];
  /** Pause, deadline, resets and usage (cost in integer micro-dollars), folded from the events. */
  controls: CaseControlsView;
  /** Set on a child case: the case whose sub-workflow step started it (its trace links back here). */
  parentCaseId: string | null;
  /** The child cases this case's sub-workflow steps started. */
  children: CaseDetail['summary']['children'];
}

/**
 * Builds a case's trace from its projection: the summary and step executions (`getCase`), the
 * skip events of its timeline, and its review tasks folded from the timeline's events with the
 * engine's `evolve` (so a review reads here as the decider reads it). Pure: `now` (epoch ms) stands in for the end of
 * anything still running.
 */
export function buildTrace(detail: CaseDetail, timeline: readonly TimelineEntry[], now: number): CaseTrace {
  const { summary, executions } = detail;
  const start = Date.parse(summary.startedAt);
  const end = summary.finishedAt ? Date.parse(summary.finishedAt) : Math.max(now, start);
  const steps = new Map<string, TraceStep>();
  const stepOf = (stepId: string, stepType: string | null): TraceStep => {
    let s = steps.get(stepId);
    if (!s) {
      const known = summary.steps[stepId];
      s = { stepId, stepType: stepType ?? known?.stepType ?? null, status: known?.status ?? 'pending', skipReason: null, startOffsetMs: null, attempts: [], reviews: [] };
      steps.set(stepId, s);
    }
    return s;
  };
  const firstAt = (s: TraceStep, offset: number) => { if (s.startOffsetMs === null || offset < s.startOffsetMs) s.startOffsetMs = offset; };

  for (const e of executions) {
    const item = parseMapItemStepId(e.stepId);
    if (item) {
      const s = stepOf(item.stepId, e.stepType);
      s.items ??= emptyItems((summary.steps[item.stepId] as { items?: { total: number } } | undefined)?.items?.total ?? null);
      tallyItem(s.items, e, item.index, start);
      firstAt(s, Date.parse(e.scheduledAt) - start);
      continue;
    }
    const s = stepOf(e.stepId, e.stepType);
    const at = Date.parse(e.scheduledAt);
    const finished = e.finishedAt ? Date.parse(e.finishedAt) : null;
    s.attempts.push({
      attempt: e.attempt, status: e.status, startOffsetMs: at - start,
      durationMs: e.durationMs ?? (finished !== null ? finished - at : Math.max(0, end - at)),
      scheduledAt: e.scheduledAt, finishedAt: e.finishedAt, deadline: e.deadline, input: e.input, output: e.output, error: e.error,
      model: e.model, modelVersion: e.modelVersion, inputTokens: e.inputTokens, outputTokens: e.outputTokens, costUsd: e.costUsd,
    });
    firstAt(s, at - start);
  }
  // The wait for admission of a limited step type's attempts (StepAdmitted events of the timeline).
  for (const t of timeline) {
    if (t.eventType !== 'StepAdmitted') continue;
    const d = (t.data ?? {}) as { stepId?: string; attempt?: number; waitedMs?: number };
    const a = steps.get(String(d.stepId))?.attempts.find((x) => x.attempt === d.attempt);
    if (a && typeof d.waitedMs === 'number') a.queueWaitMs = d.waitedMs;
  }
  // Compensation rows carry the compensation's status; the summary knows only the steps.
  for (const s of steps.values()) if (s.stepId.startsWith('compensate:')) s.status = s.attempts.at(-1)?.status ?? s.status;

  for (const t of timeline) {
    if (t.eventType !== 'StepSkipped') continue;
    const d = (t.data ?? {}) as { stepId?: unknown; reason?: unknown };
    const s = stepOf(String(d.stepId), null);
    s.skipReason = typeof d.reason === 'string' ? d.reason : null;
    firstAt(s, Date.parse(t.at) - start);
  }
  // Review tasks as the engine folds them: one reading of the review events, the decider's own.
  const { tasks, controls } = foldEvents(timeline.map((t) => upcast({ type: t.eventType, data: t.data })));
  for (const task of Object.values(tasks).sort((a, b) => a.requestedAt - b.requestedAt)) {
    const closedAt = task.decidedAt ?? task.withdrawnAt;
    stepOf(task.stepId, null).reviews.push({
      taskId: task.taskId, attempt: task.attempt, queue: task.queue, reason: task.reason, status: task.status, escalated: task.escalated,
      requestOffsetMs: task.requestedAt - start, requestedAt: iso(task.requestedAt), decision: task.decision ?? null,
      decidedBy: task.decidedBy ?? null, reviewer: task.reviewer ?? null, comment: task.comment ?? null,
      editedOutput: task.editedOutput ?? null, decidedAt: task.decidedAt !== undefined ? iso(task.decidedAt) : null,
      waitMs: closedAt !== undefined ? closedAt - task.requestedAt : Math.max(0, end - task.requestedAt),
    });
  }
  // Steps the case knows but never dispatched nor skipped (pending after a failure, say).
  for (const stepId of Object.keys(summary.steps)) stepOf(stepId, null);

  const ordered = [...steps.values()].sort((a, b) => (a.startOffsetMs ?? Infinity) - (b.startOffsetMs ?? Infinity) || a.stepId.localeCompare(b.stepId));
  const attempts = ordered.flatMap((s) => s.attempts);
  return {
    caseId: summary.caseId, workflow: summary.workflow, version: summary.workflowVersion, status: summary.status,
    startedAt: summary.startedAt, finishedAt: summary.finishedAt, durationMs: end - start, generatedAt: new Date(now).toISOString(),
    failure: summary.failure,
    totals: {
      attempts: attempts.length,
      inputTokens: attempts.reduce((n, a) => n + (a.inputTokens ?? 0), 0),
      outputTokens: attempts.reduce((n, a) => n + (a.outputTokens ?? 0), 0),
      costUsd: attempts.reduce((n, a) => n + Math.round((a.costUsd ?? 0) * 1e6), 0) / 1e6, // summed in micro-dollars: no float drift
    },
    steps: ordered,
    controls: caseControlsView({ controls }),
    parentCaseId: summary.parentCaseId ?? null,
    children: summary.children ?? [],
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
