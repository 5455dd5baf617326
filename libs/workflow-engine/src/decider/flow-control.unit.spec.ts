import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AdmitStep, ResolveExhaustedStep } from '../commands';
import { loadDefinition } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { InvalidOperatorOutput, StepNotAwaitingOperator } from './operator-errors';
import { diagnoseStuck } from './wake-ups';

/** The YAML of the README's "Waiting for an operator" section, so the documented example is the one tested. */
function readmeExample(): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Waiting for an operator'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'the README section has a yaml block');
  return match[1]!;
}

const wf = loadDefinition(readmeExample());
const spec = deciderSpec(wf, { validateOutput: (_type, output) => (typeof (output as { id?: unknown })?.id === 'string' ? [] : ["field 'id' is required"]) });
const admit = (stepId: string, attempt: number, waitedMs: number): AdmitStep => ({ type: 'AdmitStep', data: { stepId, attempt, waitedMs } });
const resolve = (action: 'retry' | 'skip', output?: unknown): ResolveExhaustedStep =>
  ({ type: 'ResolveExhaustedStep', data: { stepId: 'charge', action, ...(output !== undefined && { output }), principal: 'ops@example.com' } });

const exhausted = () => spec.run([cmd.start(), cmd.failed('charge', 1), cmd.timer('c-1', 'retry', 'charge', 2), cmd.failed('charge', 2)]);

describe('onExhausted: waitForOperator', () => {
  it('the README example loads with the policy on the step', () => {
    assert.equal(wf.steps.charge!.onExhausted, 'waitForOperator');
    assert.equal(wf.steps.receipt!.onExhausted, undefined);
  });

  it('given a step out of attempts with no fallback, when its last attempt fails, then it waits for an operator and the case does not fail', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('charge', 1), cmd.timer('c-1', 'retry', 'charge', 2)]);
    await spec.given(history).when(cmd.failed('charge', 2)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepAwaitingOperator']);
      const waiting = o.events[1]!.data as { taskId: string; queue: string; attempts: number };
      assert.equal(waiting.taskId, 'c-1:operator:charge:2');
      assert.equal(waiting.queue, 'operators');
      assert.equal(waiting.attempts, 2);
      assert.equal(o.after.status, 'running');
      assert.equal(o.after.steps.charge!.status, 'awaiting-operator');
      assert.equal(diagnoseStuck(o.after, new Set()), null, 'a person deciding counts as a wake-up');
    });
  });

  it('given a waiting step, when an operator retries, then a new attempt runs with a fresh retry budget', async () => {
    const history = await exhausted();
    const retried = await spec.given(history).when(resolve('retry')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ExhaustedStepResolved', 'StepScheduled']);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['charge', 3]]);
      assert.equal((o.events[0]!.data as { principal?: string }).principal, 'ops@example.com');
    });
    await spec.given([...history, ...retried.events]).when(cmd.failed('charge', 3)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepRetryScheduled'], 'the new run has its own two attempts');
    });
  });

  it('given a waiting step, when an operator skips it with a valid output, then it completes with that output and its dependents run', async () => {
    const history = await exhausted();
    await spec.given(history).when(resolve('skip', { id: 'manual-42' })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ExhaustedStepResolved', 'StepScheduled']);
      assert.equal(o.after.steps.charge!.status, 'completed');
      assert.deepEqual(o.after.steps.charge!.output, { id: 'manual-42' });
      assert.deepEqual(o.requests.map((r) => r.stepId), ['receipt']);
    });
  });

  it('given a waiting step, when an operator skips it with an output the contract refuses (or none), then the command is refused naming the field', async () => {
    const history = await exhausted();
    await spec.given(history).when(resolve('skip', { nope: 1 })).thenThrows(InvalidOperatorOutput, /field 'output'.*'id' is required/);
    await spec.given(history).when(resolve('skip')).thenThrows(InvalidOperatorOutput, /an output is required/);
  });

  it('given a step that is running, when an operator resolves it, then StepNotAwaitingOperator', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(resolve('retry')).thenThrows(StepNotAwaitingOperator, /not waiting for an operator \(status running\)/);
  });

  it('given a waiting step, when the case is cancelled, then the step is abandoned and the case is cancelled', async () => {
    const history = await exhausted();
    await spec.given(history).when(cmd.cancel()).then((o) => {
      assert.deepEqual(typesOf(o.events).slice(0, 2), ['CaseCancellationRequested', 'StepAbandoned']);
      assert.equal(o.after.status, 'cancelled');
    });
  });
});

describe('AdmitStep (the admission edge let a held request through)', () => {
  it('given a running attempt, when it is admitted after waiting, then StepAdmitted restarts its deadline and the request is dispatched again', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(admit('charge', 1, 4200), { now: 1_004_200 }).then((o) => {
      assert.deepEqual(o.events, [{ type: 'StepAdmitted', data: { stepId: 'charge', attempt: 1, waitedMs: 4200, deadline: 1_004_200 + 300_000, at: 1_004_200 } }]);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt, r.deadline]), [['charge', 1, 1_304_200]]);
      assert.deepEqual(o.timers.map((t) => [t.timerId, t.dueAt]), [['c-1:attempt-timeout:charge:1', 1_304_200]]);
      assert.equal(o.after.steps.charge!.deadline, 1_304_200);
      assert.equal(o.after.steps.charge!.attempts[0]!.deadline, 1_304_200);
    });
  });

  it('given an attempt that already finished, when it is admitted, then nothing changes (stale-attempt)', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('charge', 1)]);
    await spec.given(history).when(admit('charge', 1, 10)).then((o) => {
      assert.deepEqual(o.events, []);
      assert.deepEqual(o.requests, []);
      assert.equal(o.ignored, 'stale-attempt');
    });
  });
});
