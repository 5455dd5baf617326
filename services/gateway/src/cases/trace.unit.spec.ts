import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseDetail, StepExecution, TimelineEntry } from '@baton/projections';
import { buildTrace } from './trace';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function execution(stepId: string, attempt: number, from: number, to: number | null, extra: Partial<StepExecution> = {}): StepExecution {
  return {
    caseId: 'c1', stepId, attempt, stepType: 'noop', status: to === null ? 'running' : 'completed', input: { n: 1 }, output: to === null ? null : { ok: true },
    error: null, scheduledAt: iso(from), deadline: iso(from + 30000), finishedAt: to === null ? null : iso(to), durationMs: to === null ? null : to - from,
    model: null, modelVersion: null, inputTokens: null, outputTokens: null, costUsd: null, ...extra,
  };
}

function entry(eventType: string, at: number, data: Record<string, unknown>): TimelineEntry {
  return { caseId: 'c1', streamPosition: 0, globalPosition: 0, eventType, at: iso(at), stepId: (data.stepId as string) ?? null, attempt: null, summary: '', data };
}

const detail = (executions: StepExecution[], finishedAt: number | null, steps: CaseDetail['summary']['steps']): CaseDetail => ({
  summary: {
    caseId: 'c1', workflow: 'wf', workflowVersion: 2, status: finishedAt === null ? 'awaiting-review' : 'completed', caseKey: null, triggeredBy: 'http',
    startedAt: iso(0), finishedAt: finishedAt === null ? null : iso(finishedAt), durationMs: finishedAt, stepsInFlight: [], steps, failure: null, cancellation: null,
    output: null, slaDueAt: null, slaBreached: false, eventCount: 9, lastEventAt: iso(0), updatedPosition: 9, controls: null,
  },
  executions,
});

describe('buildTrace', () => {
  it('orders steps by first start, with attempt offsets and durations from the case start, and totals model usage', () => {
    const t = buildTrace(detail([
      execution('parse', 1, 10, 60, { status: 'failed', output: null, error: { name: 'Flaky', message: 'try again', retryable: true } }),
      execution('parse', 2, 100, 150),
      execution('classify', 1, 160, 400, { model: 'fast', inputTokens: 100, outputTokens: 5, costUsd: 0.01 }),
    ], 500, {
      parse: { status: 'completed', attempt: 2, stepType: 'noop' }, classify: { status: 'completed', attempt: 1, stepType: 'text.classify' },
      spam: { status: 'skipped', attempt: 0, stepType: null },
    }), [entry('StepSkipped', 420, { stepId: 'spam', reason: 'when-false' })], T0 + 10_000);
    assert.deepEqual(t.steps.map((s) => s.stepId), ['parse', 'classify', 'spam']);
    assert.deepEqual(t.steps[0]!.attempts.map((a) => [a.attempt, a.status, a.startOffsetMs, a.durationMs, a.error?.name ?? null]), [[1, 'failed', 10, 50, 'Flaky'], [2, 'completed', 100, 50, null]]);
    assert.deepEqual([t.steps[2]!.status, t.steps[2]!.skipReason, t.steps[2]!.startOffsetMs], ['skipped', 'when-false', 420]);
    assert.equal(t.durationMs, 500);
    assert.deepEqual(t.totals, { attempts: 3, inputTokens: 100, outputTokens: 5, costUsd: 0.01 });
  });

  it('measures what is still running, and the open or decided reviews, up to now', () => {
    const open = buildTrace(detail([execution('classify', 1, 0, 100), execution('reply', 1, 200, null)], null, {}),
      [entry('ReviewRequested', 100, { taskId: 't1', stepId: 'classify', stepType: 'noop', attempt: 1, queue: 'triage', reason: 'low confidence', requestedAt: T0 + 100 })], T0 + 1000);
    assert.equal(open.durationMs, 1000);
    assert.equal(open.steps[1]!.attempts[0]!.durationMs, 800);
    assert.deepEqual([open.steps[0]!.reviews[0]!.status, open.steps[0]!.reviews[0]!.waitMs, open.steps[0]!.status], ['open', 900, 'pending']);
    const decided = buildTrace(detail([execution('classify', 1, 0, 100)], 900, {}), [
      entry('ReviewRequested', 100, { taskId: 't1', stepId: 'classify', attempt: 1, queue: 'triage', reason: 'r', requestedAt: T0 + 100 }),
      entry('ReviewEscalated', 300, { taskId: 't1', stepId: 'classify', fromQueue: 'triage', queue: 'triage.escalated' }),
      entry('ReviewDecided', 700, { taskId: 't1', stepId: 'classify', decision: 'edit', output: { label: 'spam' }, reviewer: 'ada', decidedBy: 'reviewer', decidedAt: T0 + 700 }),
    ], T0 + 5000);
    const r = decided.steps[0]!.reviews[0]!;
    assert.deepEqual([r.status, r.decision, r.reviewer, r.escalated, r.queue, r.waitMs, r.editedOutput], ['decided', 'edit', 'ada', true, 'triage.escalated', 600, { label: 'spam' }]);
  });
});

describe('buildTrace of a map step', () => {
  it('counts the item attempts on the map step instead of listing one step per item', () => {
    const items = Array.from({ length: 300 }, (_, i) => execution(`fan#${i}`, 1, 10 + i, 20 + i * 2));
    const failed = execution('fan#7', 2, 50, 80, { status: 'failed', output: null, error: { name: 'Bad', message: 'no', retryable: false } });
    const t = buildTrace(detail([...items, failed], 1000, {
      fan: { status: 'completed', attempt: 3, stepType: 'noop', items: { total: 300, pending: 0, inFlight: 0, completed: 299, failed: 1, maxConcurrency: 20 } } as CaseDetail['summary']['steps'][string],
    }), [], T0 + 2000);
    assert.deepEqual(t.steps.map((s) => s.stepId), ['fan']);
    const fan = t.steps[0]!;
    assert.deepEqual(fan.attempts, []);
    assert.equal(fan.items!.total, 300);
    assert.deepEqual([fan.items!.attempts, fan.items!.completed, fan.items!.failed], [301, 300, 1]);
    assert.deepEqual([fan.items!.firstStartOffsetMs, fan.items!.lastFinishOffsetMs], [10, 20 + 299 * 2]);
    assert.deepEqual(fan.items!.failures, [{ index: 7, attempt: 2, status: 'failed', error: { name: 'Bad', message: 'no', retryable: false } }]);
  });
});

describe('buildTrace of a parent and a child case', () => {
  it('carries the parent case id and the children from the summary', () => {
    const base = detail([execution('kid', 1, 0, 100)], 200, { kid: { status: 'completed', attempt: 1, stepType: 'workflow' } });
    const children = [{ caseId: 'k-1', stepId: 'kid', attempt: 1, workflow: 'child', version: 3 }];
    const t = buildTrace({ ...base, summary: { ...base.summary, parentCaseId: 'p-0', children } }, [], T0 + 1000);
    assert.equal(t.parentCaseId, 'p-0');
    assert.deepEqual(t.children, children);
    assert.deepEqual(buildTrace(base, [], T0 + 1000).children, []);
  });
});

describe('buildTrace: admission', () => {
  it('shows how long an attempt of a limited step type waited for admission (StepAdmitted), and nothing for one that was not held', () => {
    const t = buildTrace(detail([execution('draft', 1, 10, 900), execution('draft', 2, 1000, 1100), execution('send', 1, 1200, 1300)], 1400, {
      draft: { status: 'completed', attempt: 2, stepType: 'noop' }, send: { status: 'completed', attempt: 1, stepType: 'noop' },
    }), [entry('StepAdmitted', 760, { stepId: 'draft', attempt: 1, waitedMs: 750 })], T0 + 10_000);
    const draft = t.steps.find((s) => s.stepId === 'draft')!;
    assert.deepEqual(draft.attempts.map((a) => a.queueWaitMs), [750, undefined]);
    assert.equal(t.steps.find((s) => s.stepId === 'send')!.attempts[0]!.queueWaitMs, undefined);
  });
});
