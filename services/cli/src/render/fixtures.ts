import type { CaseTraceView } from '../api-types';

/** A finished case of four steps (a retry, a skip, a model step with a review) for the rendering specs. @internal */
export const traceFixture: CaseTraceView = {
  caseId: '7d0c5a2e-1111-5222-8333-444455556666', workflow: 'inbox-triage', version: 3, status: 'completed',
  startedAt: '2026-01-01T10:00:00.000Z', durationMs: 2000, failure: null,
  totals: { attempts: 4, inputTokens: 120, outputTokens: 8, costUsd: 0.0021 },
  steps: [
    {
      stepId: 'parse', stepType: 'email.parse', status: 'completed', skipReason: null, startOffsetMs: 0, reviews: [],
      attempts: [
        { attempt: 1, status: 'failed', startOffsetMs: 0, durationMs: 100, error: { name: 'Flaky', message: 'upstream 503', retryable: true }, model: null, inputTokens: null, outputTokens: null, costUsd: null },
        { attempt: 2, status: 'completed', startOffsetMs: 500, durationMs: 100, error: null, model: null, inputTokens: null, outputTokens: null, costUsd: null },
      ],
    },
    {
      stepId: 'classify', stepType: 'text.classify', status: 'completed', skipReason: null, startOffsetMs: 600,
      attempts: [{ attempt: 1, status: 'completed', startOffsetMs: 600, durationMs: 1000, error: null, model: 'fast', inputTokens: 120, outputTokens: 8, costUsd: 0.0021 }],
      reviews: [{ taskId: 't1', queue: 'triage', status: 'decided', decision: 'approve', decidedBy: 'reviewer', reviewer: 'ada', comment: 'fine', requestOffsetMs: 1600, waitMs: 300 }],
    },
    { stepId: 'quarantine', stepType: 'mail.quarantine', status: 'skipped', skipReason: 'when-false', startOffsetMs: 1900, attempts: [], reviews: [] },
    {
      stepId: 'reply', stepType: 'reply', status: 'completed', skipReason: null, startOffsetMs: 1900, reviews: [],
      attempts: [{ attempt: 1, status: 'completed', startOffsetMs: 1900, durationMs: 100, error: null, model: null, inputTokens: null, outputTokens: null, costUsd: null }],
    },
  ],
};
