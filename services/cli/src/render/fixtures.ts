import type { CaseSummaryView, CaseTraceView, TaskView, TraceAttemptView, TraceReviewView } from '../api-types';

const T0 = '2026-01-01T10:00:00.000Z';

/** An attempt of the trace: what `over` says, the rest empty. @internal */
function attempt(over: Partial<TraceAttemptView> & Pick<TraceAttemptView, 'attempt' | 'status' | 'startOffsetMs' | 'durationMs'>): TraceAttemptView {
  return {
    scheduledAt: T0, finishedAt: null, deadline: T0, input: null, output: null, error: null, model: null, modelVersion: null,
    inputTokens: null, outputTokens: null, costUsd: null, ...over,
  };
}

/** A review of the trace. @internal */
function review(over: Partial<TraceReviewView> & Pick<TraceReviewView, 'taskId' | 'queue' | 'status'>): TraceReviewView {
  return {
    attempt: 1, reason: 'low confidence', escalated: false, requestOffsetMs: 0, requestedAt: T0, decision: null, decidedBy: null,
    reviewer: null, comment: null, editedOutput: null, decidedAt: null, waitMs: 0, ...over,
  };
}

/** A case summary: what `over` says, the rest as a finished case has it. @internal */
export function caseSummary(over: Partial<CaseSummaryView> & Pick<CaseSummaryView, 'caseId'>): CaseSummaryView {
  return {
    workflow: 'wf', workflowVersion: 1, status: 'completed', caseKey: null, triggeredBy: null, startedAt: T0, finishedAt: null, durationMs: null,
    stepsInFlight: [], steps: {}, failure: null, cancellation: null, output: null, slaDueAt: null, slaBreached: false, eventCount: 1, lastEventAt: T0, updatedPosition: 1, controls: null, ...over,
  };
}

/** A review task. @internal */
export function task(over: Partial<TaskView> & Pick<TaskView, 'taskId' | 'caseId'>): TaskView {
  return {
    stepId: 'step', attempt: 1, stepType: 'noop', queue: 'triage', status: 'open', escalated: false, reason: '', output: null, input: null, context: {},
    requestedAt: T0, dueAt: null, decision: null, decidedOutput: null, reviewer: null, comment: null, decidedBy: null, decidedAt: null, ...over,
  };
}

/** A finished case of four steps (a retry, a skip, a model step with a review) for the rendering specs. @internal */
export const traceFixture: CaseTraceView = {
  caseId: '7d0c5a2e-1111-5222-8333-444455556666', workflow: 'inbox-triage', version: 3, status: 'completed',
  startedAt: T0, finishedAt: '2026-01-01T10:00:02.000Z', generatedAt: T0, durationMs: 2000, failure: null,
  totals: { attempts: 4, inputTokens: 120, outputTokens: 8, costUsd: 0.0021 },
  steps: [
    {
      stepId: 'parse', stepType: 'email.parse', status: 'completed', skipReason: null, startOffsetMs: 0, reviews: [],
      attempts: [
        attempt({ attempt: 1, status: 'failed', startOffsetMs: 0, durationMs: 100, error: { name: 'Flaky', message: 'upstream 503', retryable: true } }),
        attempt({ attempt: 2, status: 'completed', startOffsetMs: 500, durationMs: 100 }),
      ],
    },
    {
      stepId: 'classify', stepType: 'text.classify', status: 'completed', skipReason: null, startOffsetMs: 600,
      attempts: [attempt({ attempt: 1, status: 'completed', startOffsetMs: 600, durationMs: 1000, model: 'fast', inputTokens: 120, outputTokens: 8, costUsd: 0.0021 })],
      reviews: [review({ taskId: 't1', queue: 'triage', status: 'decided', decision: 'approve', decidedBy: 'reviewer', reviewer: 'ada', comment: 'fine', requestOffsetMs: 1600, waitMs: 300 })],
    },
    { stepId: 'quarantine', stepType: 'mail.quarantine', status: 'skipped', skipReason: 'when-false', startOffsetMs: 1900, attempts: [], reviews: [] },
    {
      stepId: 'reply', stepType: 'reply', status: 'completed', skipReason: null, startOffsetMs: 1900, reviews: [],
      attempts: [attempt({ attempt: 1, status: 'completed', startOffsetMs: 1900, durationMs: 100 })],
    },
  ],
};
