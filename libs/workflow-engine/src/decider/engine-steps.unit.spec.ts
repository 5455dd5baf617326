import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DefinitionError } from '../definition/definition-error';
import { defineWorkflow, loadDefinition } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';
import { readmeExample } from '../testing/readme-examples';
import { expectedTimers } from './wake-ups';

const T0 = 1_000_000;
const DAY = 86_400_000;

describe('wait: a step that completes when a signal arrives (README example)', () => {
  const wf = loadDefinition(readmeExample('wait'));
  const spec = deciderSpec(wf);
  const input = { contract: 'K-1' };
  const signed = (contract = 'K-1', id = 'sig-1') => cmd.signal('contract.signed', { contract, pages: 3 }, id);

  it('starts waiting with no request sent and a timer at its timeout', async () => {
    const history = await spec.run([cmd.start('c-1', input)]);
    await spec.given(history).when(cmd.completed('send', 1, { ok: true })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.events[1]!.data, {
        stepId: 'signed', stepType: 'baton.wait', attempt: 1, input: { signal: 'contract.signed' }, params: {},
        deadline: T0 + 7 * DAY, idempotencyKey: 'c-1:signed', scheduledAt: T0,
      });
      assert.deepEqual(o.requests, []);
      assert.deepEqual(o.timers, [{ timerId: 'c-1:attempt-timeout:signed:1', kind: 'attempt-timeout', dueAt: T0 + 7 * DAY, stepId: 'signed', attempt: 1 }]);
    });
  });

  it('given a running wait, a matching signal completes it with its payload and the case moves on', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true })]);
    await spec.given(history).when(signed(), { now: T0 + 5000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['SignalReceived', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.events[0]!.data, { signalId: 'sig-1', name: 'contract.signed', payload: { contract: 'K-1', pages: 3 }, stepId: 'signed', receivedAt: T0 + 5000 });
      assert.deepEqual((o.events[1]!.data as { output: unknown }).output, { contract: 'K-1', pages: 3 });
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.input]), [['archive', { n: 3 }]]);
      assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:signed:1'));
    });
  });

  it('a signal whose correlate is false is kept, not taken', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true })]);
    await spec.given(history).when(signed('K-2')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['SignalReceived']);
      assert.equal((o.events[0]!.data as { stepId?: string }).stepId, undefined);
      assert.equal(o.after.steps.signed!.status, 'running');
    });
  });

  it('a signal that arrives before the wait starts is kept, then consumed when it starts', async () => {
    const history = await spec.run([cmd.start('c-1', input)]);
    const kept = await spec.given(history).when(signed(), { now: T0 + 1000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['SignalReceived']);
      assert.equal(o.after.signals?.['sig-1']?.consumedBy, undefined);
    });
    await spec.given([...history, ...kept.events]).when(cmd.completed('send', 1, { ok: true }), { now: T0 + 2000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled', 'SignalConsumed', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.events[2]!.data, { signalId: 'sig-1', stepId: 'signed', attempt: 1, at: T0 + 2000 });
      assert.deepEqual((o.events[3]!.data as { output: unknown }).output, { contract: 'K-1', pages: 3 });
      assert.equal(o.after.signals?.['sig-1']?.consumedBy, 'signed');
      assert.ok(!o.timers.some((t) => t.timerId === 'c-1:attempt-timeout:signed:1'), 'the wait timer set and ended in one decision is not set');
    });
  });

  it('a duplicate signal id is ignored: duplicate-signal', async () => {
    const history = await spec.run([cmd.start('c-1', input), signed()]);
    await spec.given(history).when(signed()).then((o) => {
      assert.deepEqual(o.events, []);
      assert.equal(o.ignored, 'duplicate-signal');
    });
  });

  it('a signal for a wait step that already completed is ignored: signal-late', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true }), signed()]);
    await spec.given(history).when(signed('K-1', 'sig-2')).then((o) => {
      assert.deepEqual(o.events, []);
      assert.equal(o.ignored, 'signal-late');
    });
  });

  it('a signal no step waits for is ignored: signal-unexpected', async () => {
    const history = await spec.run([cmd.start('c-1', input)]);
    await spec.given(history).when(cmd.signal('other')).then((o) => assert.equal(o.ignored, 'signal-unexpected'));
  });

  it('a wait that times out falls back (StepTimedOut with timeout wait, then the fallback runs)', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true })]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'signed', 1), { now: T0 + 7 * DAY }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepFailed', 'FallbackStarted', 'StepScheduled']);
      assert.equal((o.events[0]!.data as { timeout: string }).timeout, 'wait');
      assert.match((o.events[0]!.data as { error: { message: string } }).error.message, /waited for signal 'contract.signed'/);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['chase']);
    });
  });

  it('a wait with no fallback that times out fails the case', async () => {
    const bare = defineWorkflow({ name: 'w', version: 1, steps: { w: { wait: { signal: 'go', timeout: 'PT1M' } } } });
    const s = deciderSpec(bare);
    const history = await s.run([cmd.start()]);
    await s.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'w', 1), { now: T0 + 60_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
    });
  });

  it('a step result naming a wait step is ignored: no consumer runs it', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true })]);
    await spec.given(history).when(cmd.completed('signed', 1, { forged: true })).then((o) => assert.equal(o.ignored, 'stale-attempt'));
  });

  it('the running wait is expected to have its timer (the stuck-case check)', async () => {
    const history = await spec.run([cmd.start('c-1', input), cmd.completed('send', 1, { ok: true })]);
    const state = (await spec.given(history).when(cmd.repair()).then(() => undefined)).after;
    assert.deepEqual(expectedTimers(state).map((t) => t.timerId), ['c-1:attempt-timeout:signed:1']);
  });
});

describe('sleep and until (README example)', () => {
  const wf = loadDefinition(readmeExample('sleep'));
  const spec = deciderSpec(wf);
  const dueAt = new Date(T0 + 10 * DAY).toISOString();

  it('a sleep sets its timer and completes with wokeAt when it fires; until records the time it computed', async () => {
    const history = await spec.run([cmd.start('c-1', { dueAt })]);
    assert.deepEqual((history[1]!.data as { deadline: number }).deadline, T0 + 2 * 3_600_000);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'cool', 1), { now: T0 + 2 * 3_600_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.deepEqual((o.events[0]!.data as { output: unknown }).output, { wokeAt: new Date(T0 + 2 * 3_600_000).toISOString() });
      const until = o.events[1]!.data as { stepType: string; input: unknown; deadline: number };
      assert.equal(until.stepType, 'baton.until');
      assert.deepEqual(until.input, { until: new Date(T0 + 9 * DAY).toISOString() });
      assert.equal(until.deadline, T0 + 9 * DAY);
    });
  });

  it('a sleep timer that fires early changes nothing', async () => {
    const history = await spec.run([cmd.start('c-1', { dueAt })]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'cool', 1), { now: T0 + 1000 }).then((o) => assert.equal(o.ignored, 'stale-timer'));
  });

  it('an until already past completes at once, in the same decision', async () => {
    const history = await spec.run([cmd.start('c-1', { dueAt: new Date(T0).toISOString() })]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'cool', 1), { now: T0 + 2 * 3_600_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled', 'StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['notify']);
    });
  });

  it('an until that gives no timestamp fails the step (ExpressionError)', async () => {
    const history = await spec.run([cmd.start('c-1', { dueAt: 'soon' })]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'cool', 1), { now: T0 + 2 * 3_600_000 }).then((o) => {
      const failed = o.events.find((e) => e.type === 'StepFailed')!.data as { stepId: string; error: { name: string; message: string } };
      assert.equal(failed.stepId, 'remind');
      assert.equal(failed.error.name, 'ExpressionError');
      assert.match(failed.error.message, /field 'until'/);
    });
  });
});

describe('expressions see everything the case knows (README example)', () => {
  const wf = loadDefinition(readmeExample('expressions'));
  const spec = deciderSpec(wf);

  it('a when reads the review decision, attempts and last error of another step', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('classify', 1), [cmd.timer('c-1', 'retry', 'classify', 2), { now: T0 + 1000 }], cmd.completed('classify', 2, { ok: false })]);
    await spec.given(history).when(cmd.review('c-1:review:classify:2', 'approve')).then((o) => {
      assert.deepEqual(o.requests.map((r) => r.stepId), ['audit'], 'attempts > 1 holds');
    });
    const once = await spec.run([cmd.start(), cmd.completed('classify', 1, { ok: false })]);
    await spec.given(once).when(cmd.review('c-1:review:classify:1', 'approve')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'StepSkipped', 'CaseCompleted']);
    });
    await spec.given(once).when(cmd.review('c-1:review:classify:1', 'edit', { ok: true })).then((o) => {
      assert.deepEqual(o.requests.map((r) => r.stepId), ['audit'], "review.decision = 'edit' holds");
    });
  });

  it('the review context records attempts, error and review of each step', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('classify', 1), [cmd.timer('c-1', 'retry', 'classify', 2), { now: T0 + 1000 }]]);
    await spec.given(history).when(cmd.completed('classify', 2, { ok: false })).then((o) => {
      const requested = o.events.find((e) => e.type === 'ReviewRequested')!.data as { context: { steps: Record<string, unknown> } };
      assert.deepEqual(requested.context.steps.classify, {
        input: {}, output: { ok: false }, status: 'awaiting-review', attempts: 2,
        error: { name: 'Flaky', message: 'Flaky happened', retryable: true }, review: null,
      });
    });
  });
});

describe('engine step definitions', () => {
  it('refuses a step with neither type nor an engine kind, and request fields on an engine step', () => {
    assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { a: {} } }), (e: unknown) => {
      assert.ok(e instanceof DefinitionError);
      assert.deepEqual(e.issues.map((i) => `${i.step}.${i.field}`), ['a.type']);
      return true;
    });
    assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { a: { type: 'x', sleep: 'PT1S', wait: { signal: 's', timeout: 'PT1S' } } } }), (e: unknown) => {
      assert.ok(e instanceof DefinitionError);
      assert.deepEqual(e.issues.map((i) => `${i.step}.${i.field}`), ['a.sleep', 'a.type']);
      return true;
    });
    assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { a: { wait: { signal: 's', timeout: 'soon' } } } }), /wait.timeout/);
    assert.throws(() => defineWorkflow({ name: 'w', version: 1, steps: { a: { wait: { signal: 's' } } } } as never), /wait.timeout' is required/);
  });
});
