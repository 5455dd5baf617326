import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChildCaseEnded } from '../commands';
import { DefinitionError } from '../definition/definition-error';
import { defineWorkflow, loadDefinition } from '../definition/load';
import type { StepInput } from '../definition/types';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { readmeExample } from '../testing/readme-examples';
import { CHILD_ERROR_NAMES } from './sub-workflow/effects';

const T0 = 1_000_000;
const ended = (stepId: string, attempt: number, childCaseId: string, status: ChildCaseEnded['data']['status'], extra: Partial<ChildCaseEnded['data']> = {}): ChildCaseEnded =>
  ({ type: 'ChildCaseEnded', data: { stepId, attempt, childCaseId, status, ...extra } });

const parent = defineWorkflow({
  name: 'parent', version: 1,
  steps: {
    kid: { type: 'workflow', workflow: { name: 'child', version: 3 }, input: '{ "n": case.input.n }', timeout: 'PT1H', retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 }, compensate: 'x.undo' },
    after: { type: 'x.after', needs: ['kid'] },
  },
});
const child = defineWorkflow({ name: 'child', version: 3, steps: { only: { type: 'x.only', compensate: 'x.undo', retry: { maxAttempts: 1 } } } });

describe('sub-workflows: the definition', () => {
  it('loads the README example', () => {
    const wf = loadDefinition(readmeExample('sub-workflow'));
    assert.deepEqual(wf.steps.accounts!.workflow, { name: 'open-accounts', version: 2 });
  });

  it('refuses type workflow without a workflow, a workflow on another type, and a heartbeat or review on it', () => {
    const bad = (step: StepInput, field: string) => assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { s: step } }), (e: unknown) => {
      assert.ok(e instanceof DefinitionError && e.issues.some((i) => i.step === 's' && i.field === field), String(e));
      return true;
    });
    bad({ type: 'workflow' }, 'workflow');
    bad({ type: 'x.y', workflow: { name: 'c', version: 1 } }, 'type');
    bad({ type: 'workflow', workflow: { name: 'c', version: 1 }, heartbeat: 'PT5S' }, 'heartbeat');
    bad({ type: 'workflow', workflow: { name: 'c', version: 1 }, review: {} }, 'review');
  });
});

describe('sub-workflows: the parent', () => {
  const spec = deciderSpec(parent, { childCaseId: (w, key) => `id(${w}|${key})` });

  it('an attempt starts a child case whose id derives from the parent, step and attempt, recorded before the trigger', async () => {
    const o = await spec.given([]).when(cmd.start('p-1', { n: 7 })).then((o) => assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepScheduled']));
    assert.deepEqual(o.events[1]!.data, {
      stepId: 'kid', stepType: 'workflow', attempt: 1, input: { n: 7 }, params: {}, deadline: T0 + 3_600_000, idempotencyKey: 'p-1:kid', scheduledAt: T0,
      childCaseId: 'id(child|p-1:kid:1)', childWorkflow: { name: 'child', version: 3 },
    });
    assert.deepEqual(o.children, [{ caseId: 'id(child|p-1:kid:1)', workflow: 'child', version: 3, input: { n: 7 }, key: 'p-1:kid:1', parent: { caseId: 'p-1', stepId: 'kid', attempt: 1 } }]);
    assert.deepEqual(o.requests, []);
    assert.deepEqual(o.timers.map((t) => t.timerId), ['p-1:attempt-timeout:kid:1']);
    assert.deepEqual(o.after.children, [{ caseId: 'id(child|p-1:kid:1)', stepId: 'kid', attempt: 1, workflow: 'child', version: 3 }]);
  });

  it('the child completing completes the step with its output and moves on', async () => {
    const h = await spec.run([cmd.start('p-1', { n: 7 })]);
    await spec.given(h).when(ended('kid', 1, 'id(child|p-1:kid:1)', 'completed', { output: { only: { ok: true } } }), { now: T0 + 50 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.events[0]!.data, { stepId: 'kid', attempt: 1, output: { only: { ok: true } }, completedAt: T0 + 50, durationMs: 50 });
      assert.deepEqual(o.cancelTimers, ['p-1:attempt-timeout:kid:1']);
    });
  });

  it('a failed child fails the attempt: retried with a new child, then the case fails', async () => {
    const h = await spec.run([cmd.start('p-1', { n: 7 })]);
    const error = { name: CHILD_ERROR_NAMES.failed, message: 'child failed', retryable: true };
    const o = await spec.given(h).when(ended('kid', 1, 'id(child|p-1:kid:1)', 'failed', { error })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepRetryScheduled']);
    });
    const h2 = [...h, ...o.events];
    const o2 = await spec.given(h2).when(cmd.timer('p-1', 'retry', 'kid', 2), { now: T0 + 1000 }).then((o) => {
      assert.deepEqual(o.children?.map((c) => c.caseId), ['id(child|p-1:kid:2)']);
    });
    await spec.given([...h2, ...o2.events]).when(ended('kid', 2, 'id(child|p-1:kid:2)', 'failed', { error })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
    });
  });

  it('the end of a child the parent no longer waits for changes nothing', async () => {
    const h = await spec.run([cmd.start('p-1', { n: 7 })]);
    await spec.given(h).when(ended('kid', 1, 'id(other)', 'completed')).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(h).when(ended('kid', 2, 'id(child|p-1:kid:1)', 'completed')).then((o) => assert.equal(o.ignored, 'stale-attempt'));
  });

  it('cancelling the parent cancels the running child; a timed-out attempt cancels its child', async () => {
    const h = await spec.run([cmd.start('p-1', { n: 7 })]);
    await spec.given(h).when(cmd.cancel()).then((o) => {
      assert.ok(typesOf(o.events).includes('StepAbandoned'));
      assert.deepEqual(o.cancelChildren, ['id(child|p-1:kid:1)']);
    });
    await spec.given(h).when(cmd.timer('p-1', 'attempt-timeout', 'kid', 1), { now: T0 + 3_600_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepRetryScheduled']);
      assert.deepEqual(o.cancelChildren, ['id(child|p-1:kid:1)']);
    });
  });

  it('a refused child start fails the attempt at once, non-retryably, and sends nothing', async () => {
    const refusing = deciderSpec(parent, { validateChild: () => ({ name: 'InputSchemaViolation', message: "field 'n' is not in child's input" }) });
    await refusing.given([]).when(cmd.start('p-1', { n: 7 })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepScheduled', 'StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.equal(o.children, undefined);
    });
  });
});

describe('sub-workflows: the child', () => {
  const spec = deciderSpec(child);
  const parentRef = { caseId: 'p-1', stepId: 'kid', attempt: 1 };

  it('records its parent, and its end is a notice to the parent with its output', async () => {
    const h = await spec.run([{ type: 'StartCase', data: { caseId: 'c-9', input: { n: 7 }, triggeredBy: 'parent', parent: parentRef } }]);
    assert.deepEqual((h[0]!.data as { parent?: unknown }).parent, parentRef);
    await spec.given(h).when(cmd.completed('only', 1, { ok: true })).then((o) => {
      assert.deepEqual(o.parentNotice, { parentCaseId: 'p-1', stepId: 'kid', attempt: 1, childCaseId: 'c-9', status: 'completed', output: { only: { ok: true } } });
    });
  });

  it('a child that fails compensates first, then tells the parent it failed', async () => {
    const h = await spec.run([{ type: 'StartCase', data: { caseId: 'c-9', input: {}, triggeredBy: 'parent', parent: parentRef } }]);
    const o = await spec.given(h).when(cmd.failed('only', 1, 'Broken', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.equal(o.parentNotice?.status, 'failed');
      assert.equal(o.parentNotice?.error?.name, CHILD_ERROR_NAMES.failed);
      assert.match(o.parentNotice!.error!.message, /failed at step 'only': Broken/);
    });
    assert.equal(o.after.status, 'failed');
  });

  it('a case without a parent notifies nobody', async () => {
    const h = await spec.run([cmd.start('c-1')]);
    await spec.given(h).when(cmd.completed('only', 1)).then((o) => assert.equal(o.parentNotice, undefined));
  });
});
