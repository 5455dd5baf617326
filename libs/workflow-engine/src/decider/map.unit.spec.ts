import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DefinitionError } from '../definition/definition-error';
import { defineWorkflow, loadDefinition } from '../definition/load';
import type { StepInput } from '../definition/types';
import type { MapItemFailed } from '../events';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { readmeExample } from '../testing/readme-examples';
import { UnknownStep } from './errors';
import { MAP_ERROR_NAMES } from './map/fan-out';
import { parseMapItemStepId } from './map/ids';
import { expectedTimers } from './wake-ups';

const T0 = 1_000_000;

function fanOut(map: StepInput['map'], extra: Partial<StepInput> = {}) {
  return defineWorkflow({
    name: 'fan', version: 1,
    steps: {
      each: { type: 'x.item', map, timeout: 'PT10S', retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 }, ...extra },
      after: { type: 'x.after', needs: ['each'] },
    },
  });
}
const three = { items: 'case.input.xs', maxConcurrency: 2 };

describe('map: the definition', () => {
  it('loads the README example', () => {
    const wf = loadDefinition(readmeExample('map'));
    const m = wf.steps.invoice!.map!;
    assert.equal(m.maxConcurrency, 20);
    assert.equal(m.failure, 'collect');
    assert.equal(m.toleratedFailures, 5);
  });

  it('refuses an input mapping, a heartbeat, a review, tolerances without collect or both tolerances, naming the field', () => {
    const bad = (step: Partial<StepInput>, field: string) => {
      assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { m: { type: 't', map: { items: '[1]' }, ...step } } }), (e: unknown) => {
        assert.ok(e instanceof DefinitionError);
        assert.ok(e.issues.some((i) => i.step === 'm' && i.field === field), JSON.stringify(e.issues));
        return true;
      });
    };
    bad({ input: '{}' }, 'input');
    bad({ heartbeat: 'PT5S' }, 'heartbeat');
    bad({ review: {} }, 'review');
    bad({ map: { items: '[1]', toleratedFailures: 1 } }, 'map.failure');
    bad({ map: { items: '[1]', failure: 'collect', toleratedFailures: 1, toleratedFailurePercentage: 5 } }, 'map.toleratedFailures');
    bad({ map: { items: '[1' } }, 'map.items');
    bad({ map: { items: '[1]', maxConcurrency: 0 } }, 'map.maxConcurrency');
  });
});

describe('map: fan-out', () => {
  const spec = deciderSpec(fanOut(three));

  it('starting records the items and dispatches the first maxConcurrency, each an attempt of its own', async () => {
    const o = await spec.given([]).when(cmd.start('c-1', { xs: [{ n: 1 }, { n: 2 }, { n: 3 }] })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'MapStarted', 'MapItemScheduled', 'MapItemScheduled']);
    });
    assert.deepEqual(o.events[1]!.data, { stepId: 'each', stepType: 'x.item', items: [{ n: 1 }, { n: 2 }, { n: 3 }], params: {}, maxConcurrency: 2, firstAttempt: 1, maxAttempts: 2, startedAt: T0 });
    assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt, r.input, r.idempotencyKey]), [
      ['each#0', 1, { n: 1 }, 'c-1:each#0'], ['each#1', 1, { n: 2 }, 'c-1:each#1'],
    ]);
    assert.deepEqual(o.timers.map((t) => [t.timerId, t.dueAt]), [['c-1:attempt-timeout:each#0:1', T0 + 10_000], ['c-1:attempt-timeout:each#1:1', T0 + 10_000]]);
    assert.equal(o.after.steps.each!.status, 'running');
    assert.deepEqual(expectedTimers(o.after).map((t) => t.timerId).sort(), ['c-1:attempt-timeout:each#0:1', 'c-1:attempt-timeout:each#1:1']);
  });

  it('an item finishing dispatches the next; the last completes the step with the outputs in item order', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: ['a', 'b', 'c'] })]);
    const o1 = await spec.given(h).when(cmd.completed('each#1', 1, { out: 'B' }), { now: T0 + 100 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemCompleted', 'MapItemScheduled']);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['each#2']);
      assert.deepEqual(o.cancelTimers, ['c-1:attempt-timeout:each#1:1']);
    });
    const h2 = [...h, ...o1.events];
    const h3 = [...h2, ...(await spec.given(h2).when(cmd.completed('each#2', 1, { out: 'C' })).then(() => undefined)).events];
    await spec.given(h3).when(cmd.completed('each#0', 1, { out: 'A' }), { now: T0 + 900 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemCompleted', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.events[1]!.data, { stepId: 'each', attempt: 2, output: [{ out: 'A' }, { out: 'B' }, { out: 'C' }], completedAt: T0 + 900, durationMs: 900 });
      assert.equal(o.requests[0]!.stepId, 'after');
    });
  });

  it('never has more than maxConcurrency items in flight: a retry keeps its slot', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] })]);
    const o = await spec.given(h).when(cmd.failed('each#0', 1, 'Flaky'), { now: T0 + 50 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemFailed', 'MapItemRetryScheduled']);
      assert.equal((o.events[0] as MapItemFailed).data.final, false);
      assert.deepEqual(o.requests, []);
      assert.deepEqual(o.timers.map((t) => [t.timerId, t.dueAt]), [['c-1:retry:each#0:2', T0 + 50 + 1000]]);
    });
    assert.equal(o.after.steps.each!.map!.inFlight, 2);
    await spec.given([...h, ...o.events]).when(cmd.timer('c-1', 'retry', 'each#0', 2), { now: T0 + 1050 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemScheduled']);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt, r.input, r.idempotencyKey]), [['each#0', 2, 1, 'c-1:each#0']]);
    });
  });

  it('an item attempt past its deadline times out (StepTimeout, retryable) and is retried', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1] })]);
    await spec.given(h).when(cmd.timer('c-1', 'attempt-timeout', 'each#0', 1), { now: T0 + 10_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemFailed', 'MapItemRetryScheduled']);
      const d = (o.events[0] as MapItemFailed).data;
      assert.equal(d.timedOut, true);
      assert.equal(d.error.name, 'StepTimeout');
    });
    await spec.given(h).when(cmd.timer('c-1', 'attempt-timeout', 'each#0', 1), { now: T0 + 9_999 }).then((o) => assert.equal(o.ignored, 'stale-timer'));
  });

  it('a redelivered result, a result of another attempt and a heartbeat of an item change nothing', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] }), cmd.completed('each#0', 1)]);
    await spec.given(h).when(cmd.completed('each#0', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(h).when(cmd.completed('each#1', 7)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(h).when(cmd.heartbeat('each#1', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(h).when(cmd.completed('each#9', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(h).when(cmd.completed('after#0', 1)).thenThrows(UnknownStep, /after#0/);
  });

  it('an empty list completes the step at once with []', async () => {
    await spec.given([]).when(cmd.start('c-1', { xs: [] })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'MapStarted', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual((o.events[2]!.data as { output: unknown }).output, []);
    });
  });

  it('an items list above the limit fails the step, naming the field', async () => {
    const big = Array.from({ length: 600 }, () => 'x'.repeat(1000));
    await spec.given([]).when(cmd.start('c-1', { xs: big })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseStarted', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.equal((o.events[1]!.data as { error: { name: string } }).error.name, MAP_ERROR_NAMES.itemsTooLarge);
      assert.match((o.events[1]!.data as { error: { message: string } }).error.message, /map\.items/);
    });
  });
});

describe('map: failure policies', () => {
  it('failFast: the first item that fails for good fails the step, abandons the items in flight and fails the case', async () => {
    const spec = deciderSpec(fanOut(three, { compensate: 'x.undo' }));
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] })]);
    const o = await spec.given(h).when(cmd.failed('each#0', 1, 'Broken', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      const err = (o.events[1]!.data as { error: { name: string; message: string } }).error;
      assert.equal(err.name, 'Broken');
      assert.match(err.message, /item 0 of map step 'each'/);
      assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:each#1:1'), o.cancelTimers.join());
    });
    await spec.given([...h, ...o.events]).when(cmd.completed('each#1', 1)).then((o) => assert.equal(o.ignored, 'case-ended'));
  });

  it('collect: every item runs; a failed item is { error, attempts } in its place', async () => {
    const spec = deciderSpec(fanOut({ ...three, failure: 'collect' }));
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] }), cmd.failed('each#0', 1, 'Bad', false), cmd.completed('each#1', 1, 'two')]);
    await spec.given(h).when(cmd.completed('each#2', 1, 'three')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemCompleted', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual((o.events[1]!.data as { output: unknown }).output, [{ error: { name: 'Bad', message: 'Bad happened', retryable: false }, attempts: 1 }, 'two', 'three']);
    });
  });

  it('collect with toleratedFailures: the step fails as soon as more items failed for good than tolerated', async () => {
    const spec = deciderSpec(fanOut({ ...three, failure: 'collect', toleratedFailures: 1 }));
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] }), cmd.failed('each#0', 1, 'Bad', false)]);
    assert.ok(!h.some((e) => e.type === 'StepFailed'));
    await spec.given(h).when(cmd.failed('each#1', 1, 'Bad', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      const err = (o.events[1]!.data as { error: { name: string; message: string } }).error;
      assert.equal(err.name, MAP_ERROR_NAMES.toleranceExceeded);
      assert.match(err.message, /2 of 3 items failed for good, more than the 1 tolerated/);
    });
  });

  it('collect with toleratedFailurePercentage: the step fails above that share of the items', async () => {
    const spec = deciderSpec(fanOut({ items: 'case.input.xs', maxConcurrency: 4, failure: 'collect', toleratedFailurePercentage: 25 }));
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3, 4] }), cmd.failed('each#0', 1, 'Bad', false)]);
    assert.ok(!h.some((e) => e.type === 'StepFailed'), '1 of 4 is 25 %, tolerated');
    await spec.given(h).when(cmd.failed('each#1', 1, 'Bad', false)).then((o) => assert.ok(typesOf(o.events).includes('StepFailed')));
  });

  it('a step that fails for good falls back when it has a fallback', async () => {
    const wf = defineWorkflow({ name: 'fb', version: 1, steps: {
      each: { type: 'x.item', map: { items: '[1, 2]' }, retry: { maxAttempts: 1 }, fallback: 'plan_b' },
      plan_b: { type: 'x.b' },
    } });
    const spec = deciderSpec(wf);
    const h = await spec.run([cmd.start('c-1')]);
    await spec.given(h).when(cmd.failed('each#1', 1, 'Flaky')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['MapItemFailed', 'StepFailed', 'FallbackStarted', 'StepScheduled']);
      assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:each#0:1'));
    });
  });
});

describe('map: the case around it', () => {
  const spec = deciderSpec(fanOut(three));

  it('cancelling abandons the fan-out and cancels every item timer, running or waiting to retry', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] }), cmd.failed('each#0', 1, 'Flaky')]);
    await spec.given(h).when(cmd.cancel()).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseCancellationRequested', 'StepAbandoned', 'CompensationStarted', 'CaseCancelled']);
      assert.deepEqual(o.cancelTimers.filter((t) => t.includes('#')).sort(), ['c-1:attempt-timeout:each#1:1', 'c-1:retry:each#0:2']);
    });
  });

  it('repair sets every item timer again', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1, 2, 3] }), cmd.failed('each#0', 1, 'Flaky')]);
    await spec.given(h).when(cmd.repair()).then((o) => {
      assert.deepEqual(o.timers.map((t) => t.timerId).sort(), ['c-1:attempt-timeout:each#1:1', 'c-1:retry:each#0:2']);
    });
  });

  it('an operator retry starts a new fan-out whose item attempts are numbered after the last run', async () => {
    const h = await spec.run([cmd.start('c-1', { xs: [1] }), cmd.failed('each#0', 1, 'Broken', false)]);
    await spec.given(h).when(cmd.retry('each')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepRetriedByOperator', 'MapStarted', 'MapItemScheduled']);
      assert.equal((o.events[1]!.data as { firstAttempt: number }).firstAttempt, 3);
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.attempt]), [['each#0', 3]]);
    });
  });

  it('item step ids parse back, and nothing else does', () => {
    assert.deepEqual(parseMapItemStepId('each#12'), { stepId: 'each', index: 12 });
    for (const id of ['each', '#1', 'each#', 'each#01', 'each#-1', 'each#1.5']) assert.equal(parseMapItemStepId(id), undefined, id);
  });
});
