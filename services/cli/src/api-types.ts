/**
 * The shapes of the gateway's responses the CLI reads, derived from the one declaration of each
 * body in `@baton/http-contract` (the schemas the gateway's OpenAPI document at `/docs-json`
 * publishes). Types only: the CLI takes no runtime code from it.
 */
import type { HttpBody } from '@baton/http-contract';

export type { CancelRequest, RepairRequest, RetryRequest, SignalRequest } from '@baton/http-contract';
export type { PauseRequest, ResumeRequest, ResetRequest } from '@baton/http-contract';

export type ProblemDetails = HttpBody<'Problem'>;
export type CaseSummaryView = HttpBody<'CaseSummary'>;
export type StepExecutionView = HttpBody<'StepExecution'>;
export type CaseDetailView = HttpBody<'CaseDetail'>;
export type CasePageView = HttpBody<'CasePage'>;
export type CaseTraceView = HttpBody<'CaseTrace'>;
export type TraceStepView = CaseTraceView['steps'][number];
export type TraceAttemptView = TraceStepView['attempts'][number];
export type TraceReviewView = TraceStepView['reviews'][number];
export type TaskView = HttpBody<'HumanTask'>;
/** One entry of `GET /cases/stuck`. */
export type StuckCaseView = HttpBody<'StuckCase'>;
export type StartedCaseView = HttpBody<'StartedCase'>;
export type SignalAcceptedView = HttpBody<'SignalAccepted'>;
export type DecisionAcceptedView = HttpBody<'DecisionAccepted'>;

/** `GET /cases/{id}/replay` (and each entry of `GET /replay`): the case re-folded with today's decider against its projection. */
export interface CaseReplayView {
  caseId: string;
  events: number;
  status: string;
  differences: { path: string; stored: unknown; replayed: unknown }[];
}
