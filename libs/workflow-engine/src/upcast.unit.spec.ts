import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldEvents } from './decider/fold';
import { eventVersion, upcast, versionMetadata } from './upcast';

const v1 = (message: string) => ({
  type: 'StepTimedOut',
  data: { stepId: 'a', attempt: 1, deadline: 5000, error: { name: 'StepTimeout', message, retryable: true }, timedOutAt: 5000 },
});

describe('upcasting stored events to today\'s shape', () => {
  it('StepTimedOut is written at version 2, recorded in its metadata; other types stay at 1 with no metadata', () => {
    assert.equal(eventVersion('StepTimedOut'), 2);
    assert.deepEqual(versionMetadata('StepTimedOut'), { eventVersion: 2 });
    assert.equal(eventVersion('StepCompleted'), 1);
    assert.deepEqual(versionMetadata('StepCompleted'), {});
  });

  it('a version 1 StepTimedOut gets the timeout kind read back from the engine\'s message', () => {
    const deadline = upcast(v1("attempt 1 of step 'a' passed its deadline"));
    assert.equal((deadline.data as { timeout: string }).timeout, 'schedule-to-close');
    const silent = upcast({ ...v1("attempt 1 of step 'a' sent no heartbeat within its heartbeat timeout of 2000 ms"), metadata: {} });
    assert.equal((silent.data as { timeout: string }).timeout, 'heartbeat');
  });

  it('an event already at version 2 comes back unchanged, and one newer than the code is refused', () => {
    const v2 = { type: 'StepTimedOut', data: { ...v1('x').data, timeout: 'wait' }, metadata: { eventVersion: 2 } };
    assert.deepEqual(upcast(v2).data, v2.data);
    assert.throws(() => upcast({ ...v2, metadata: { eventVersion: 3 } }), /version 3, newer than this code reads \(2\)/);
  });

  it('old-shape events fold like new ones', () => {
    const state = foldEvents([
      { type: 'CaseStarted', data: { caseId: 'c', workflow: 'w', version: 1, input: {}, triggeredBy: 't', startedAt: 0 } },
      { type: 'StepScheduled', data: { stepId: 'a', stepType: 'x', attempt: 1, input: {}, params: {}, deadline: 5000, idempotencyKey: 'c:a', scheduledAt: 0 } },
      upcast(v1('late')),
    ]);
    assert.equal(state.steps.a!.attempts[0]!.outcome, 'timed-out');
  });
});
