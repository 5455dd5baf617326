import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { CaseAlreadyStarted, CaseNotStarted, UnknownStep, WorkflowMismatch } from './errors';

const T0 = 1_000_000;

describe('the normal flow of a case', () => {
  const sequential = defineWorkflow({
    name: 'seq', version: 1,
    steps: { a: { type: 'x.a', timeout: 'PT10S', with: { model: 'fast' } }, b: { type: 'x.b', needs: ['a'] } },
  });
  const spec = deciderSpec(sequential);

  it('starting a case schedules the steps that need nothing, with request, deadline and timeout timer', async () => {
    const outcome = await spec.given([]).when(cmd.start('c-1', { n: 1 }, 'k-1')).then([
      { type: 'CaseStarted', data: { caseId: 'c-1', workflow: 'seq', version: 1, input: { n: 1 }, key: 'k-1', triggeredBy: 'test', startedAt: T0 } },
      { type: 'StepScheduled', data: {
        stepId: 'a', stepType: 'x.a', attempt: 1, input: { n: 1 }, params: { model: 'fast' }, deadline: T0 + 10_000,
        idempotencyKey: 'c-1:a', scheduledAt: T0 } },
    ]);
    assert.deepEqual(outcome.requests, [
      { caseId: 'c-1', stepId: 'a', stepType: 'x.a', attempt: 1, input: { n: 1 }, params: { model: 'fast' }, deadline: T0 + 10_000, idempotencyKey: 'c-1:a' },
    ]);
    assert.deepEqual(outcome.timers, [{ timerId: 'c-1:attempt-timeout:a:1', kind: 'attempt-timeout', dueAt: T0 + 10_000, stepId: 'a', attempt: 1 }]);
    assert.equal(outcome.after.status, 'running');
    assert.equal(outcome.after.steps.a!.status, 'running');
  });

  it('runs steps in sequence: a completed schedules b with the case input by default', async () => {
    const history = await spec.run([cmd.start('c-1', { n: 1 })]);
    await spec.given(history).when(cmd.completed('a', 1, { ok: true }), { now: T0 + 500 }).then([
      { type: 'StepCompleted', data: { stepId: 'a', attempt: 1, output: { ok: true }, completedAt: T0 + 500, durationMs: 500 } },
      { type: 'StepScheduled', data: {
        stepId: 'b', stepType: 'x.b', attempt: 1, input: { n: 1 }, params: {}, deadline: T0 + 500 + 300_000,
        idempotencyKey: 'c-1:b', scheduledAt: T0 + 500 } },
    ]);
  });

  it('completes the case when every step completed, with the outputs of the steps', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('a', 1, { x: 1 })]);
    const outcome = await spec.given(history).when(cmd.completed('b', 1, { y: 2 })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'CaseCompleted']);
      assert.deepEqual(o.events[1]!.data, { output: { a: { x: 1 }, b: { y: 2 } }, completedAt: T0 });
    });
    assert.equal(outcome.after.status, 'completed');
    assert.equal(outcome.after.finishedAt, T0);
  });

  it('records metering of AI steps with the completed attempt', async () => {
    const history = await spec.run([cmd.start()]);
    const metering = { model: 'gpt-x', inputTokens: 10, outputTokens: 5, costUsd: 0.001 };
    await spec.given(history).when({ type: 'StepResultCompleted', data: { stepId: 'a', attempt: 1, output: {}, metering } }).then((o) => {
      assert.deepEqual((o.events[0]!.data as { metering?: unknown }).metering, metering);
      assert.deepEqual(o.after.steps.a!.attempts[0]!.metering, metering);
    });
  });

  const diamond = defineWorkflow({
    name: 'diamond', version: 1,
    steps: {
      a: { type: 'x.a' },
      b: { type: 'x.b', needs: ['a'] },
      c: { type: 'x.c', needs: ['a'] },
      d: { type: 'x.d', needs: ['b', 'c'], input: '{ "sum": steps.b.output.n + steps.c.output.n, "case": case.id }' },
    },
  });
  const dspec = deciderSpec(diamond);

  it('fans out: every step that becomes ready at once is scheduled in the same decision', async () => {
    const history = await dspec.run([cmd.start()]);
    await dspec.given(history).when(cmd.completed('a', 1)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled', 'StepScheduled']);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['b', 'c']);
    });
  });

  it('joins: a step waits for every step it needs, then gets its input mapped with JSONata', async () => {
    const history = await dspec.run([cmd.start(), cmd.completed('a', 1), cmd.completed('c', 1, { n: 2 })]);
    const state = await dspec.given(history).when(cmd.completed('b', 1, { n: 40 })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.requests[0]!.input, { sum: 42, case: 'c-1' });
    });
    assert.equal(state.after.steps.d!.status, 'running');
    await dspec.given(history).when(cmd.completed('c', 1, { n: 2 })).then([]);
  });

  it('a JSONata input that fails at run time fails the step, non-retryable, naming step and field', async () => {
    const wf = defineWorkflow({ name: 'bad', version: 1, steps: { a: { type: 'x.a', input: '$number("not a number")' } } });
    await deciderSpec(wf).given([]).when(cmd.start()).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      const error = (o.events[1]!.data as { error: { name: string; message: string; retryable: boolean } }).error;
      assert.equal(error.name, 'ExpressionError');
      assert.equal(error.retryable, false);
      assert.match(error.message, /step 'a': field 'input'/);
    });
  });

  it('a when condition that fails at run time fails the step as an ExpressionError naming the field', async () => {
    const wf = defineWorkflow({ name: 'badwhen', version: 1, steps: { a: { type: 'x.a', when: '$number(case.input.n) > 1' } } });
    await deciderSpec(wf).given([]).when(cmd.start('c-1', { n: 'abc' })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.match((o.events[1]!.data as { error: { message: string } }).error.message, /step 'a': field 'when'/);
    });
  });

  it('binds $now() and $millis() to the decider clock, so mapped inputs are deterministic', async () => {
    const wf = defineWorkflow({ name: 'clock', version: 1, steps: { a: { type: 'x.a', input: '{ "at": $millis(), "iso": $now() }' } } });
    await deciderSpec(wf).given([]).when(cmd.start(), { now: 86_400_000 }).then((o) => {
      assert.deepEqual(o.requests[0]!.input, { at: 86_400_000, iso: '1970-01-02T00:00:00.000Z' });
    });
  });
});

describe('when conditions and skipping', () => {
  const wf = defineWorkflow({
    name: 'branches', version: 1,
    steps: {
      classify: { type: 'text.classify' },
      quarantine: { type: 'mail.quarantine', needs: ['classify'], when: "steps.classify.output.label = 'spam'" },
      notify: { type: 'mail.notify', needs: ['quarantine'] },
      audit: { type: 'mail.audit', needs: ['notify'] },
      extract: { type: 'text.entities', needs: ['classify'], when: "steps.classify.output.label = 'ham'" },
      archive: { type: 'mail.archive', needs: ['quarantine', 'extract'] },
    },
  });
  const spec = deciderSpec(wf);

  it('skips a step whose when is false, and everything reachable only through it', async () => {
    const history = await spec.run([cmd.start()]);
    const outcome = await spec.given(history).when(cmd.completed('classify', 1, { label: 'ham' })).then((o) => {
      assert.deepEqual(o.events.map((e) => `${e.type}:${(e.data as { stepId?: string }).stepId}:${(e.data as { reason?: string }).reason ?? ''}`), [
        'StepCompleted:classify:',
        'StepSkipped:quarantine:when-false',
        'StepSkipped:notify:needs-skipped',
        'StepSkipped:audit:needs-skipped',
        'StepScheduled:extract:',
      ]);
    });
    assert.equal(outcome.after.steps.archive, undefined, 'archive still waits for extract');
  });

  it('runs a step that needs a skipped step and a completed one, and completes the case without the skipped outputs', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('classify', 1, { label: 'ham' })]);
    const outcome = await spec.given(history).when(cmd.completed('extract', 1, { who: 'bob' })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.equal(o.requests[0]!.stepId, 'archive');
    });
    await spec.given([...history, ...outcome.events]).when(cmd.completed('archive', 1, 'ok')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'CaseCompleted']);
      assert.deepEqual(o.events[1]!.data, { output: { classify: { label: 'ham' }, extract: { who: 'bob' }, archive: 'ok' }, completedAt: T0 });
    });
  });

  it('completes a case at start when every step is skipped', async () => {
    const allOff = defineWorkflow({ name: 'off', version: 1, steps: { a: { type: 'x', when: 'case.input.on' }, b: { type: 'x', needs: ['a'] } } });
    await deciderSpec(allOff).given([]).when(cmd.start('c-1', { on: false })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepSkipped', 'StepSkipped', 'CaseCompleted']);
      assert.deepEqual(o.events[3]!.data, { output: {}, completedAt: T0 });
    });
  });
});

describe('commands that make no sense', () => {
  const wf = defineWorkflow({ name: 'wf', version: 1, steps: { a: { type: 'x.a' } } });
  const spec = deciderSpec(wf);

  it('refuses to start a case twice', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(cmd.start()).thenThrows(CaseAlreadyStarted, /case c-1 is already started \(status running\)/);
  });

  it('refuses anything but StartCase for a case that has not started', async () => {
    await spec.given([]).when(cmd.completed('a', 1)).thenThrows(CaseNotStarted, /StepResultCompleted for a case that has not started/);
  });

  it('refuses a result for a step the workflow does not have, naming it', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(cmd.completed('nope', 1)).thenThrows(UnknownStep, /unknown step 'nope' in case c-1: workflow 'wf'/);
    await spec.given(history).when(cmd.failed('compensate:nope', 1)).thenThrows(UnknownStep, /'nope'/);
  });

  it('refuses a definition other than the one the case pinned', async () => {
    const history = await spec.run([cmd.start()]);
    const v2 = defineWorkflow({ name: 'wf', version: 2, steps: { a: { type: 'x.a' } } });
    await deciderSpec(v2).given(history).when(cmd.completed('a', 1)).thenThrows(WorkflowMismatch, /pinned workflow wf@1, but decide was given wf@2/);
  });
});
