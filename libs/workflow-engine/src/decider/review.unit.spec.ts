import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import type { ReviewTimeoutAction } from '../definition/types';
import type { CaseEvent } from '../events';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { InvalidReviewOutput, UnknownTask } from './errors';

const T0 = 1_000_000;
const TASK = 'c-1:review:classify:1';

function triage(onTimeout: ReviewTimeoutAction = 'escalate') {
  return defineWorkflow({
    name: 'triage', version: 1,
    steps: {
      parse: { type: 'email.parse', input: '{ "raw": case.input.raw }' },
      classify: {
        type: 'text.classify', needs: ['parse'], input: 'steps.parse.output',
        review: { when: 'output.confidence < 0.8', queue: 'triage', timeout: 'PT4H', onTimeout },
      },
      reply: { type: 'text.draft', needs: ['classify'], input: '{ "label": steps.classify.output.label }' },
    },
  });
}
const validateOutput = (type: string, output: unknown): string[] => {
  if (type !== 'text.classify') return [];
  const o = output as { label?: unknown; confidence?: unknown };
  return [
    ...(typeof o.label === 'string' ? [] : ['label: must be a string']),
    ...(typeof o.confidence === 'number' ? [] : ['confidence: must be a number']),
  ];
};

async function awaitingReview(onTimeout: ReviewTimeoutAction = 'escalate') {
  const spec = deciderSpec(triage(onTimeout), { validateOutput });
  const history = await spec.run([cmd.start('c-1', { raw: 'hello' }), cmd.completed('parse', 1, { text: 'hello' })]);
  const requested = await spec.given(history).when(cmd.completed('classify', 1, { label: 'spam', confidence: 0.5 })).then(() => {});
  return { spec, history: [...history, ...requested.events] as CaseEvent[], requested };
}

describe('the review gate', () => {
  it('asks a person when review.when holds, with the output, the reason and the full case context', async () => {
    const { requested } = await awaitingReview();
    assert.deepEqual(typesOf(requested.events), ['StepCompleted', 'ReviewRequested']);
    assert.deepEqual(requested.events[1]!.data, {
      taskId: TASK, stepId: 'classify', stepType: 'text.classify', attempt: 1, queue: 'triage',
      reason: 'review.when: output.confidence < 0.8', output: { label: 'spam', confidence: 0.5 }, input: { text: 'hello' },
      context: {
        case: { id: 'c-1', input: { raw: 'hello' }, workflow: 'triage', version: 1 },
        steps: {
          parse: { input: { raw: 'hello' }, output: { text: 'hello' }, status: 'completed', attempts: 1, error: null, review: null },
          classify: { input: { text: 'hello' }, output: { label: 'spam', confidence: 0.5 }, status: 'awaiting-review', attempts: 1, error: null, review: null },
        },
      },
      requestedAt: T0, dueAt: T0 + 4 * 3_600_000,
    });
    assert.deepEqual(requested.timers, [{ timerId: 'c-1:review-timeout:classify:1', kind: 'review-timeout', dueAt: T0 + 4 * 3_600_000, stepId: 'classify', attempt: 1 }]);
    assert.equal(requested.requests.length, 0, 'dependents wait for the decision');
    assert.equal(requested.after.status, 'awaiting-review');
    assert.equal(requested.after.tasks[TASK]!.status, 'open');
  });

  it('lets the output stand without review when review.when is false', async () => {
    const spec = deciderSpec(triage());
    const history = await spec.run([cmd.start('c-1', { raw: 'x' }), cmd.completed('parse', 1, {})]);
    await spec.given(history).when(cmd.completed('classify', 1, { label: 'ham', confidence: 0.95 })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
    });
  });

  it('approve: the output stands and the case goes on', async () => {
    const { spec, history } = await awaitingReview();
    await spec.given(history).when(cmd.review(TASK, 'approve', undefined, 'fine')).then((o) => {
      assert.deepEqual(o.events[0], { type: 'ReviewDecided', data: { taskId: TASK, stepId: 'classify', decision: 'approve', comment: 'fine', reviewer: 'ann', decidedBy: 'reviewer', decidedAt: T0 } });
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.input]), [['reply', { label: 'spam' }]]);
      assert.equal(o.after.status, 'running');
    });
  });

  it('reject: the step fails non-retryable with ReviewRejected, and the failure rules apply', async () => {
    const { spec, history } = await awaitingReview();
    await spec.given(history).when(cmd.review(TASK, 'reject', undefined, 'wrong label')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.deepEqual((o.events[1]!.data as { error: unknown }).error, { name: 'ReviewRejected', message: 'wrong label', retryable: false });
    });
  });

  it('edit: the corrected output replaces the step output for everything downstream', async () => {
    const { spec, history } = await awaitingReview();
    await spec.given(history).when(cmd.review(TASK, 'edit', { label: 'ham', confidence: 1 })).then((o) => {
      assert.deepEqual((o.events[0]!.data as { output?: unknown }).output, { label: 'ham', confidence: 1 });
      assert.deepEqual(o.requests[0]!.input, { label: 'ham' });
      assert.deepEqual(o.after.steps.classify!.output, { label: 'ham', confidence: 1 });
    });
  });

  it('edit with an output that breaks the schema is refused with InvalidReviewOutput naming the fields', async () => {
    const { spec, history } = await awaitingReview();
    const e = await spec.given(history).when(cmd.review(TASK, 'edit', { label: 3 })).thenThrows(InvalidReviewOutput, /label: must be a string; confidence: must be a number/);
    assert.deepEqual((e as InvalidReviewOutput).problems, ['label: must be a string', 'confidence: must be a number']);
    await spec.given(history).when(cmd.review(TASK, 'edit')).thenThrows(InvalidReviewOutput, /output: is required/);
  });

  it('a decision for a task the case never opened is refused; a repeated decision changes nothing', async () => {
    const { spec, history } = await awaitingReview();
    await spec.given(history).when(cmd.review('c-1:review:nope:1', 'approve')).thenThrows(UnknownTask, /unknown review task 'c-1:review:nope:1' in case c-1/);
    const approved = await spec.given(history).when(cmd.review(TASK, 'approve')).then(() => {});
    await spec.given([...history, ...approved.events]).when(cmd.review(TASK, 'reject')).then([]);
  });

  it('timeout with onTimeout escalate: the task stays open in <queue>.escalated, once', async () => {
    const { spec, history } = await awaitingReview('escalate');
    const at = { now: T0 + 4 * 3_600_000 };
    const escalated = await spec.given(history).when(cmd.timer('c-1', 'review-timeout', 'classify', 1), at).then([
      { type: 'ReviewEscalated', data: { taskId: TASK, stepId: 'classify', fromQueue: 'triage', queue: 'triage.escalated', escalatedAt: at.now } },
    ]);
    assert.deepEqual(escalated.after.tasks[TASK]!.queue, 'triage.escalated');
    assert.equal(escalated.after.tasks[TASK]!.status, 'open');
    const all = [...history, ...escalated.events];
    await spec.given(all).when(cmd.timer('c-1', 'review-timeout', 'classify', 1), at).then([]);
    await spec.given(all).when(cmd.review(TASK, 'approve')).then((o) => assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'StepScheduled']));
  });

  it('timeout with onTimeout approve: the output stands', async () => {
    const { spec, history } = await awaitingReview('approve');
    await spec.given(history).when(cmd.timer('c-1', 'review-timeout', 'classify', 1)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'StepScheduled']);
      assert.deepEqual(o.events[0]!.data, { taskId: TASK, stepId: 'classify', decision: 'approve', decidedBy: 'timeout', decidedAt: T0 });
    });
  });

  it('timeout with onTimeout reject: the step fails with ReviewRejected', async () => {
    const { spec, history } = await awaitingReview('reject');
    await spec.given(history).when(cmd.timer('c-1', 'review-timeout', 'classify', 1)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.deepEqual((o.events[1]!.data as { error: unknown }).error, { name: 'ReviewRejected', message: 'the review timed out (onTimeout: reject)', retryable: false });
    });
  });

  it('a review timeout after the decision changes nothing', async () => {
    const { spec, history } = await awaitingReview('reject');
    const approved = await spec.given(history).when(cmd.review(TASK, 'approve')).then(() => {});
    await spec.given([...history, ...approved.events]).when(cmd.timer('c-1', 'review-timeout', 'classify', 1)).then([]);
  });
});
