import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attemptChange } from './attempts';

const timeout = { name: 'StepTimeout', message: 'late', retryable: true };

describe('attemptChange: what an event says about one attempt', () => {
  it('names a compensation\'s attempt compensate:<stepId>, and a compensation that ran out of time timed-out', () => {
    assert.deepEqual(attemptChange({ type: 'CompensationFailed', data: { stepId: 'reply', attempt: 1, error: timeout, failedAt: 5 } }),
      { kind: 'timed-out', stepId: 'compensate:reply', attempt: 1, error: timeout, finishedAt: 5 });
    const other = { ...timeout, name: 'UndoFailed' };
    assert.equal(attemptChange({ type: 'CompensationFailed', data: { stepId: 'reply', attempt: 2, error: other, failedAt: 5 } })?.kind, 'failed');
    assert.equal(attemptChange({ type: 'CompensationCompleted', data: { stepId: 'reply', attempt: 1, output: null, completedAt: 9 } })?.stepId, 'compensate:reply');
  });

  it('is undefined for events about no attempt', () => {
    assert.equal(attemptChange({ type: 'StepSkipped', data: { stepId: 'a', reason: 'when-false', skippedAt: 1 } }), undefined);
    assert.equal(attemptChange({ type: 'StepRetryScheduled', data: { stepId: 'a', attempt: 2, delayMs: 10, dueAt: 11 } }), undefined);
  });
});
