/**
 * The shapes of the gateway's responses the CLI reads: its side of the HTTP contract (the
 * gateway's OpenAPI document at `/docs-json`). Only the fields the CLI uses are listed.
 */

export interface StepErrorView { name: string; message: string; retryable: boolean }

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; message: string; step?: string }[];
}

export interface CaseSummaryView {
  caseId: string;
  workflow: string;
  workflowVersion: number;
  status: string;
  caseKey: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  stepsInFlight: string[];
  steps: Record<string, { status: string; attempt: number; stepType: string | null }>;
  failure: { stepId: string; error: StepErrorView } | null;
  cancellation: { reason: string; requestedBy?: string } | null;
  slaBreached: boolean;
}

export interface StepExecutionView {
  stepId: string;
  attempt: number;
  stepType: string;
  status: string;
  error: StepErrorView | null;
  scheduledAt: string;
  durationMs: number | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export interface CaseDetailView { summary: CaseSummaryView; executions: StepExecutionView[] }
export interface CasePageView { items: CaseSummaryView[]; nextCursor: string | null }

export interface TraceAttemptView {
  attempt: number;
  status: string;
  startOffsetMs: number;
  durationMs: number;
  error: StepErrorView | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export interface TraceReviewView {
  taskId: string;
  queue: string;
  status: 'open' | 'decided' | 'withdrawn';
  decision: string | null;
  decidedBy: string | null;
  reviewer: string | null;
  comment: string | null;
  requestOffsetMs: number;
  waitMs: number;
}

export interface TraceStepView {
  stepId: string;
  stepType: string | null;
  status: string;
  skipReason: string | null;
  startOffsetMs: number | null;
  attempts: TraceAttemptView[];
  reviews: TraceReviewView[];
}

export interface CaseTraceView {
  caseId: string;
  workflow: string;
  version: number;
  status: string;
  startedAt: string;
  durationMs: number;
  failure: { stepId: string; error: StepErrorView } | null;
  totals: { attempts: number; inputTokens: number; outputTokens: number; costUsd: number };
  steps: TraceStepView[];
}

export interface TaskView {
  taskId: string;
  caseId: string;
  stepId: string;
  stepType: string;
  queue: string;
  status: string;
  escalated: boolean;
  reason: string;
  requestedAt: string;
  dueAt: string | null;
}

/** One entry of `GET /cases/stuck`. */
export interface StuckCaseView {
  caseId: string; workflow: string; workflowVersion: number; status: string;
  lastEvent: { type: string; recordedAt: string } | null;
  reasons: string[];
  missingTimers: { timerId: string; kind: string; stepId?: string; attempt?: number; dueAt: string }[];
  nothingPending: boolean;
  repair: string;
}

/** `GET /cases/{id}/replay` (and each entry of `GET /replay`): the case re-folded with today's decider against its projection. */
export interface CaseReplayView {
  caseId: string;
  events: number;
  status: string;
  differences: { path: string; stored: unknown; replayed: unknown }[];
}
