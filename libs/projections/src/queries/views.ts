import type { CaseStatus, ChildRef, MapSummary, StepError, StepStatus } from '@baton/workflow-engine';

/** Times are ISO-8601 strings (UTC, ms); durations and positions are numbers. */

/** A row of `case_summary`: one case as its events left it. */
export interface CaseSummary {
  caseId: string;
  workflow: string;
  workflowVersion: number;
  status: CaseStatus;
  caseKey: string | null;
  triggeredBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** `finishedAt - startedAt` once the case ended. */
  durationMs: number | null;
  /** Steps running, waiting for a retry, or awaiting review. */
  stepsInFlight: string[];
  /** Every step with an event so far. */
  steps: Record<string, { status: StepStatus; attempt: number; stepType: string | null; items?: MapSummary }>;
  /** Set on a child case: the case whose sub-workflow step started it. */
  parentCaseId?: string | null;
  /** The child cases this case's sub-workflow steps started, in order. */
  children?: ChildRef[];
  failure: { stepId: string; error: StepError } | null;
  cancellation: { reason: string; requestedBy?: string } | null;
  /** The case output (`CaseCompleted.output`), once completed. */
  output: Record<string, unknown> | null;
  slaDueAt: string | null;
  slaBreached: boolean;
  /** Events of the case applied (its stream version as projected). */
  eventCount: number;
  lastEventAt: string;
  /** Global position of the last applied event. */
  updatedPosition: number;
  /** Case-level controls: pause, deadline, budget, resets, usage (null on a row not yet rewritten since the column was added). */
  controls: CaseControlsView | null;
}

/** `case_summary.controls`: times ISO-8601, cost in integer micro-dollars (`costMicros`) and as a 6-decimal string (`cost`). */
export interface CaseControlsView {
  paused: { by: string; reason: string | null; at: string } | null;
  deadlineAt: string | null;
  timedOut: boolean;
  budgetExceeded: boolean;
  resets: number;
  usage: { inputTokens: number; outputTokens: number; tokens: number; costMicros: number; cost: string };
}

/** A row of `step_executions`: one attempt of a step, or of a compensation (`compensate:<stepId>`). */
export interface StepExecution {
  caseId: string;
  stepId: string;
  attempt: number;
  stepType: string;
  status: 'running' | 'completed' | 'failed' | 'timed-out' | 'abandoned';
  input: unknown;
  output: unknown;
  error: StepError | null;
  scheduledAt: string;
  deadline: string;
  finishedAt: string | null;
  durationMs: number | null;
  model: string | null;
  modelVersion: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/** A row of `human_tasks`: one review task and what a reviewer needs to decide it. */
export interface HumanTask {
  taskId: string;
  caseId: string;
  stepId: string;
  attempt: number;
  stepType: string;
  queue: string;
  status: 'open' | 'decided' | 'withdrawn';
  escalated: boolean;
  reason: string;
  /** The step output under review. */
  output: unknown;
  input: unknown;
  /** `{ case: {id, input, workflow, version}, steps: {<id>: {input, output, status}} }` at request time. */
  context: unknown;
  requestedAt: string;
  dueAt: string | null;
  decision: 'approve' | 'reject' | 'edit' | null;
  decidedOutput: unknown;
  reviewer: string | null;
  comment: string | null;
  decidedBy: 'reviewer' | 'timeout' | null;
  decidedAt: string | null;
}

/** A row of `timeline`: one event of a case, with a one-line summary. */
export interface TimelineEntry {
  caseId: string;
  streamPosition: number;
  globalPosition: number;
  eventType: string;
  at: string;
  stepId: string | null;
  attempt: number | null;
  summary: string;
  data: unknown;
}

/** A case summary with every step attempt (and compensation attempt) of the case. */
export interface CaseDetail {
  summary: CaseSummary;
  executions: StepExecution[];
}

/** A page of {@link CaseSummary}; `nextCursor` is `null` on the last page. */
export interface CasePage {
  items: CaseSummary[];
  nextCursor: string | null;
}

type Row = Record<string, unknown>;

const time = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** @internal */
export function toCaseSummary(r: Row): CaseSummary {
  return {
    caseId: r.case_id as string, workflow: r.workflow as string, workflowVersion: r.workflow_version as number,
    status: r.status as CaseStatus, caseKey: r.case_key as string | null, triggeredBy: r.triggered_by as string | null,
    startedAt: time(r.started_at)!, finishedAt: time(r.finished_at), durationMs: num(r.duration_ms),
    stepsInFlight: r.steps_in_flight as string[], steps: r.steps as CaseSummary['steps'],
    failure: r.failure as CaseSummary['failure'], cancellation: r.cancellation as CaseSummary['cancellation'],
    output: r.output as CaseSummary['output'], slaDueAt: time(r.sla_due_at), slaBreached: r.sla_breached as boolean,
    eventCount: r.event_count as number, lastEventAt: time(r.last_event_at)!, updatedPosition: num(r.updated_position)!,
    controls: (r.controls ?? null) as CaseControlsView | null,
    parentCaseId: (r.parent_case_id as string | null | undefined) ?? null, children: (r.children as ChildRef[] | null | undefined) ?? [],
  };
}

/** @internal */
export function toStepExecution(r: Row): StepExecution {
  return {
    caseId: r.case_id as string, stepId: r.step_id as string, attempt: r.attempt as number, stepType: r.step_type as string,
    status: r.status as StepExecution['status'], input: r.input ?? null, output: r.output ?? null, error: (r.error ?? null) as StepError | null,
    scheduledAt: time(r.scheduled_at)!, deadline: time(r.deadline)!, finishedAt: time(r.finished_at), durationMs: num(r.duration_ms),
    model: r.model as string | null, modelVersion: r.model_version as string | null, inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens), costUsd: num(r.cost_usd),
  };
}

/** @internal */
export function toHumanTask(r: Row): HumanTask {
  return {
    taskId: r.task_id as string, caseId: r.case_id as string, stepId: r.step_id as string, attempt: r.attempt as number,
    stepType: r.step_type as string, queue: r.queue as string, status: r.status as HumanTask['status'], escalated: r.escalated as boolean,
    reason: r.reason as string, output: r.output ?? null, input: r.input ?? null, context: r.context,
    requestedAt: time(r.requested_at)!, dueAt: time(r.due_at), decision: r.decision as HumanTask['decision'],
    decidedOutput: r.decided_output ?? null, reviewer: r.reviewer as string | null, comment: r.comment as string | null,
    decidedBy: r.decided_by as HumanTask['decidedBy'], decidedAt: time(r.decided_at),
  };
}

/** @internal */
export function toTimelineEntry(r: Row): TimelineEntry {
  return {
    caseId: r.case_id as string, streamPosition: r.stream_position as number, globalPosition: num(r.global_position)!,
    eventType: r.event_type as string, at: time(r.at)!, stepId: r.step_id as string | null, attempt: r.attempt as number | null,
    summary: r.summary as string, data: r.data,
  };
}
