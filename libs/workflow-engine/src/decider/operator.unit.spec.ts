import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { CaseAlreadyFinished, CaseNotRetryable } from './errors';

const T0 = 1_000_000;

const wf = defineWorkflow({
  name: 'ops', version: 1,
  steps: {
    fetch: { type: 'http.fetch', compensate: 'http.unfetch' },
    keep: { type: 'x.keep', needs: ['fetch'] },
    enrich: { type: 'x.enrich', needs: ['fetch'], retry: { maxAttempts: 2, jitter: 0 }, input: '{ "n": steps.fetch.output.n }' },
    store: { type: 'x.store', needs: ['enrich', 'keep'], when: 'steps.enrich.output.ok' },
  },
});
const spec = deciderSpec(wf);

describe('operator retry of a failed case', () => {
  const failedCase = () => spec.run([
    cmd.start(), cmd.completed('fetch', 1, { n: 1 }), cmd.completed('keep', 1, 'kept'), cmd.failed('enrich', 1),
    cmd.timer('c-1', 'retry', 'enrich', 2), cmd.failed('enrich', 2), cmd.completed('compensate:fetch', 1),
  ]);

  it('re-opens the case and re-runs the step (and the compensated steps it depends on) with a fresh retry budget', async () => {
    const history = await failedCase();
    const retried = await spec.given(history).when(cmd.retry('enrich'), { now: T0 + 5000 }).then((o) => {
      assert.deepEqual(o.events[0], { type: 'StepRetriedByOperator', data: { stepId: 'enrich', requestedBy: 'ops', reset: ['fetch', 'keep', 'enrich'], at: T0 + 5000 } });
      assert.deepEqual(typesOf(o.events), ['StepRetriedByOperator', 'StepScheduled']);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['fetch', 2]], 'fetch was undone by its compensation, so it runs again');
      assert.equal(o.after.status, 'running');
      assert.equal(o.after.failure, null);
      assert.equal(o.after.steps.keep!.status, 'pending', 'keep depends on the undone fetch, so it runs again');
    });
    const all = [...history, ...retried.events];
    const refetched = await spec.given(all).when(cmd.completed('fetch', 2, { n: 7 })).then((o) => {
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt, r.input]), [['keep', 2, {}], ['enrich', 3, { n: 7 }]], 'dependents are re-evaluated');
    });
    const again = [...all, ...refetched.events];
    await spec.given(again).when(cmd.failed('enrich', 3)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepRetryScheduled'], 'the retry budget starts over');
    });
    await spec.given(again).when(cmd.failed('enrich', 2)).then([]);
  });

  it('resets the retried step, its dependents and the abandoned steps, and keeps completed steps that were not undone', async () => {
    const skippedStore = await spec.run([
      cmd.start(), cmd.completed('fetch', 1, { n: 1 }), cmd.completed('keep', 1), cmd.completed('enrich', 1, { ok: false }),
    ]);
    assert.equal(skippedStore.at(-1)!.type, 'CaseCompleted');
    const wfNoComp = defineWorkflow({
      name: 'ops2', version: 1,
      steps: {
        a: { type: 'x' }, b: { type: 'x', needs: ['a'] }, c: { type: 'x', needs: ['b'], when: 'case.input.go' },
        d: { type: 'x', needs: ['a'] }, e: { type: 'x' },
      },
    });
    const s2 = deciderSpec(wfNoComp);
    const history = await s2.run([
      cmd.start('c-1', { go: false }), cmd.completed('a', 1), cmd.completed('e', 1), cmd.completed('b', 1), cmd.failed('d', 1, 'X', false),
    ]);
    await s2.given(history).when(cmd.retry('b')).then((o) => {
      assert.deepEqual((o.events[0]!.data as { reset: readonly string[] }).reset, ['b', 'c', 'd'], 'c was skipped; as a dependent of b it is evaluated again');
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['b', 2], ['d', 2]]);
      assert.equal(o.after.steps.a!.status, 'completed');
      assert.equal(o.after.steps.e!.status, 'completed');
    });
  });

  it('refuses to retry a case that is not failed, or a fallback-only step', async () => {
    const running = await spec.run([cmd.start()]);
    await spec.given(running).when(cmd.retry('fetch')).thenThrows(CaseNotRetryable, /cannot retry in case c-1 \(status running\): only a failed case/);
    const fb = defineWorkflow({ name: 'fb', version: 1, steps: { a: { type: 'x', fallback: 'b' }, b: { type: 'x' } } });
    const fspec = deciderSpec(fb);
    const failed = await fspec.run([cmd.start(), cmd.failed('a', 1, 'X', false), cmd.failed('b', 1, 'Y', false)]);
    await fspec.given(failed).when(cmd.retry('b')).thenThrows(CaseNotRetryable, /step 'b' is fallback-only; retry 'a' instead/);
    await fspec.given(failed).when(cmd.retry('a')).then((o) => {
      assert.deepEqual((o.events[0]!.data as { reset: readonly string[] }).reset, ['a', 'b']);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['a', 2]]);
    });
  });

  it('refuses to retry a cancelled case', async () => {
    const cancelled = await spec.run([cmd.start(), cmd.cancel()]);
    await spec.given(cancelled).when(cmd.retry('fetch')).thenThrows(CaseNotRetryable, /status cancelled/);
  });
});

describe('cancelling a case', () => {
  it('abandons in-flight attempts, compensates completed steps, then ends cancelled', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('fetch', 1, { n: 1 })]);
    const cancelling = await spec.given(history).when(cmd.cancel('customer withdrew')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseCancellationRequested', 'StepAbandoned', 'StepAbandoned', 'CompensationStarted', 'CompensationScheduled']);
      assert.deepEqual(o.events[0]!.data, { reason: 'customer withdrew', requestedBy: 'ops', at: T0 });
      assert.deepEqual(o.events.slice(1, 3).map((e) => (e.data as { stepId: string }).stepId), ['keep', 'enrich']);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['compensate:fetch']);
    });
    const all = [...history, ...cancelling.events];
    await spec.given(all).when(cmd.completed('keep', 1)).then([]);
    await spec.given(all).when(cmd.cancel()).then([]);
    await spec.given(all).when(cmd.completed('compensate:fetch', 1)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CompensationCompleted', 'CaseCancelled']);
      assert.deepEqual(o.events[1]!.data, { reason: 'customer withdrew', requestedBy: 'ops', compensated: ['fetch'], compensationFailures: [], cancelledAt: T0 });
      assert.equal(o.after.status, 'cancelled');
    });
  });

  it('withdraws open review tasks and abandons pending retries', async () => {
    const r = defineWorkflow({
      name: 'r', version: 1,
      steps: { a: { type: 'x', review: { queue: 'q' } }, b: { type: 'x', retry: { jitter: 0 } } },
    });
    const rspec = deciderSpec(r);
    const history = await rspec.run([cmd.start(), cmd.completed('a', 1, 'draft'), cmd.failed('b', 1)]);
    await rspec.given(history).when(cmd.cancel()).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseCancellationRequested', 'ReviewWithdrawn', 'StepAbandoned', 'CompensationStarted', 'CaseCancelled']);
      assert.equal(o.after.tasks['c-1:review:a:1']!.status, 'withdrawn');
    });
  });

  it('compensates a step whose output awaits review, since its work took effect', async () => {
    const r = defineWorkflow({ name: 'r2', version: 1, steps: { a: { type: 'x', review: { queue: 'q' }, compensate: 'undo.a' } } });
    const rspec = deciderSpec(r);
    const history = await rspec.run([cmd.start(), cmd.completed('a', 1, 'draft')]);
    await rspec.given(history).when(cmd.cancel()).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseCancellationRequested', 'ReviewWithdrawn', 'CompensationStarted', 'CompensationScheduled']);
      assert.deepEqual(o.requests[0]!.input, { input: {}, output: 'draft' });
    });
  });

  it('refuses to cancel a case that already completed', async () => {
    const one = deciderSpec(defineWorkflow({ name: 'one', version: 1, steps: { a: { type: 'x' } } }));
    const done = await one.run([cmd.start(), cmd.completed('a', 1)]);
    await one.given(done).when(cmd.cancel()).thenThrows(CaseAlreadyFinished, /cannot cancel case c-1: it is already completed/);
  });

  it('refuses to cancel a case that is failing, while its compensations run', async () => {
    const failing = await spec.run([cmd.start(), cmd.completed('fetch', 1), cmd.failed('keep', 1, 'X', false)]);
    await spec.given(failing).when(cmd.cancel()).thenThrows(CaseAlreadyFinished, /it is failing and its compensations are running/);
  });
});
