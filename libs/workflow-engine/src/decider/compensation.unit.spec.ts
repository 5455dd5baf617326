import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';

const T0 = 1_000_000;

const wf = defineWorkflow({
  name: 'onboard', version: 1,
  steps: {
    account: { type: 'crm.account', compensate: 'crm.account.delete', timeout: 'PT20S' },
    mailbox: { type: 'mail.box', needs: ['account'], compensate: 'mail.box.delete' },
    welcome: { type: 'mail.welcome', needs: ['account'] },
    billing: { type: 'billing.setup', needs: ['mailbox', 'welcome'] },
  },
});
const spec = deciderSpec(wf);

describe('compensation when a case fails', () => {
  it('undoes completed steps in reverse completion order, one at a time, then fails the case', async () => {
    const history = await spec.run([
      cmd.start('c-1', { who: 'ann' }), cmd.completed('account', 1, { id: 'A1' }),
      cmd.completed('mailbox', 1, { box: 'ann@x' }), cmd.completed('welcome', 1),
    ]);
    const failed = await spec.given(history).when(cmd.failed('billing', 1, 'CardDeclined', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CompensationScheduled']);
      assert.deepEqual(o.events[2]!.data, {
        reason: 'case-failed', at: T0,
        plan: [{ stepId: 'mailbox', stepType: 'mail.box.delete' }, { stepId: 'account', stepType: 'crm.account.delete' }],
      });
      assert.deepEqual(o.requests, [{
        caseId: 'c-1', stepId: 'compensate:mailbox', stepType: 'mail.box.delete', attempt: 1,
        input: { input: { who: 'ann' }, output: { box: 'ann@x' } }, params: {}, deadline: T0 + 300_000, idempotencyKey: 'c-1:compensate:mailbox',
      }]);
      assert.equal(o.after.status, 'compensating');
    });
    let all = [...history, ...failed.events];
    const first = await spec.given(all).when(cmd.completed('compensate:mailbox', 1, 'gone')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CompensationCompleted', 'CompensationScheduled']);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.input]), [['compensate:account', { input: { who: 'ann' }, output: { id: 'A1' } }]]);
      assert.equal(o.requests[0]!.deadline, T0 + 20_000);
    });
    all = [...all, ...first.events];
    await spec.given(all).when(cmd.failed('compensate:account', 1, 'CrmDown', true)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CompensationFailed', 'CaseFailed']);
      assert.deepEqual(o.events[1]!.data, {
        stepId: 'billing', error: { name: 'CardDeclined', message: 'CardDeclined happened', retryable: false },
        compensated: ['mailbox'],
        compensationFailures: [{ stepId: 'account', error: { name: 'CrmDown', message: 'CrmDown happened', retryable: true } }],
        failedAt: T0,
      });
      assert.equal(o.after.status, 'failed');
    });
  });

  it('follows completion time, not declaration order', async () => {
    const parallel = defineWorkflow({
      name: 'p', version: 1,
      steps: {
        a: { type: 'x', compensate: 'undo.a' }, b: { type: 'x', compensate: 'undo.b' }, c: { type: 'x', compensate: 'undo.c' },
        d: { type: 'x', needs: ['a', 'b', 'c'] },
      },
    });
    const p = deciderSpec(parallel);
    const history = await p.run([cmd.start(), cmd.completed('b', 1), cmd.completed('c', 1), cmd.completed('a', 1)]);
    await p.given(history).when(cmd.failed('d', 1, 'X', false)).then((o) => {
      const plan = (o.events[2]!.data as { plan: readonly { stepId: string }[] }).plan.map((x) => x.stepId);
      assert.deepEqual(plan, ['a', 'c', 'b']);
    });
  });

  it('abandons in-flight attempts of other steps when the case fails, and ignores their late results', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('account', 1, { id: 'A1' })]);
    const failed = await spec.given(history).when(cmd.failed('mailbox', 1, 'Quota', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'StepAbandoned', 'CompensationStarted', 'CompensationScheduled']);
      assert.deepEqual(o.events[2]!.data, { stepId: 'welcome', attempt: 1, reason: 'case-failed', at: T0 });
    });
    await spec.given([...history, ...failed.events]).when(cmd.completed('welcome', 1)).then([]);
  });

  it('treats a compensation that passes its deadline as failed and goes on with the next', async () => {
    const history = await spec.run([
      cmd.start(), cmd.completed('account', 1), cmd.completed('mailbox', 1), cmd.completed('welcome', 1),
      cmd.failed('billing', 1, 'X', false),
    ]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'compensate:mailbox', 1), { now: T0 + 299_999 }).then([]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'compensate:mailbox', 1), { now: T0 + 300_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CompensationFailed', 'CompensationScheduled']);
      assert.equal((o.events[0]!.data as { error: { name: string } }).error.name, 'StepTimeout');
    });
  });

  it('fails at once when there is nothing to compensate', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(cmd.failed('account', 1, 'X', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.deepEqual((o.events[2]!.data as { plan: readonly unknown[] }).plan, []);
    });
  });
});
