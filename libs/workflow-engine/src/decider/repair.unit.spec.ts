import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { diagnoseStuck, expectedTimers } from './wake-ups';
import { foldEvents } from './fold';

const T0 = 1_000_000;

const wf = defineWorkflow({
  name: 'repair', version: 1,
  steps: {
    validate: { type: 'x.validate', timeout: 'PT10S', compensate: 'x.unvalidate' },
    welcome: { type: 'x.welcome', needs: ['validate'], timeout: 'PT10S' },
    workspace: { type: 'x.workspace', needs: ['validate'], timeout: 'PT10S', retry: { maxAttempts: 3, initialInterval: 'PT1S', jitter: 0 } },
    review: { type: 'x.review', needs: ['welcome'], timeout: 'PT10S', review: { when: 'true', queue: 'ops', timeout: 'PT60S', onTimeout: 'approve' } },
  },
});
const spec = deciderSpec(wf);

describe('stuck cases and their repair', () => {
  const waitingToRetry = () => spec.run([cmd.start(), cmd.completed('validate', 1), cmd.failed('workspace', 1)]);

  it('expects the timer of every running attempt, waiting retry and open review, and nothing for an ended case', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('validate', 1), cmd.failed('workspace', 1), cmd.completed('welcome', 1)]);
    const state = foldEvents(history);
    const ids = expectedTimers(state).map((t) => [t.kind, t.stepId, t.attempt]);
    assert.deepEqual(ids, [['retry', 'workspace', 2], ['attempt-timeout', 'review', 1]]);
    const ended = foldEvents(await spec.run([cmd.start(), cmd.completed('validate', 1), cmd.failed('workspace', 1, 'Fatal', false), cmd.completed('compensate:validate', 1)]));
    assert.equal(ended.status, 'failed');
    assert.deepEqual(expectedTimers(ended), []);
    assert.equal(diagnoseStuck(ended, new Set()), null);
  });

  it('names the step and attempt whose timer is gone, and is quiet when every expected timer is pending', async () => {
    const state = foldEvents(await waitingToRetry());
    const all = new Set(expectedTimers(state).map((t) => t.timerId));
    assert.equal(diagnoseStuck(state, all), null);
    const d = diagnoseStuck(state, new Set([...all].filter((id) => !id.includes(':retry:'))));
    assert.ok(d);
    assert.deepEqual(d.missingTimers.map((t) => t.timerId), ['c-1:retry:workspace:2']);
    assert.match(d.reasons[0]!, /step 'workspace' waits to retry as attempt 2 .* no retry timer exists/);
    assert.equal(d.nothingPending, false);
  });

  it('sets every expected timer again, at the due times the events recorded, and records CaseRepaired', async () => {
    const history = await waitingToRetry();
    const state = foldEvents(history);
    await spec.given(history).when(cmd.repair(), { now: T0 + 60_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseRepaired']);
      assert.deepEqual(o.events[0]!.data, { rearmed: expectedTimers(state).map((t) => t.timerId), advanced: false, requestedBy: 'ops', at: T0 + 60_000 });
      assert.deepEqual(o.timers, expectedTimers(state));
      const retry = o.timers.find((t) => t.kind === 'retry')!;
      assert.equal(retry.dueAt, state.steps.workspace!.retryDueAt, 'a past due time is kept: the timer fires at once');
      assert.deepEqual(o.requests, []);
    });
    // The re-armed retry timer then does what the lost one would have done.
    const repaired = [...history, ...(await spec.given(history).when(cmd.repair()).then(() => undefined)).events];
    await spec.given(repaired).when(cmd.timer('c-1', 'retry', 'workspace', 2)).then((o) => {
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['workspace', 2]]);
    });
  });

  it('changes nothing for an ended case, so a late or redelivered repair is harmless', async () => {
    const done = await spec.run([cmd.start(), cmd.completed('validate', 1), cmd.completed('workspace', 1), cmd.completed('welcome', 1), cmd.completed('review', 1)]);
    const tasks = foldEvents(done).tasks;
    const taskId = Object.keys(tasks)[0]!;
    const closed = [...done, ...(await spec.given(done).when({ type: 'DecideReview', data: { taskId, decision: 'approve', reviewer: 'r' } }).then(() => undefined)).events];
    assert.equal(foldEvents(closed).status, 'completed');
    await spec.given(closed).when(cmd.repair()).then([]);
  });
});
