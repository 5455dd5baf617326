import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DefinitionError } from '../../definition/definition-error';
import { defineWorkflow, loadDefinition } from '../../definition/load';
import { cmd, typesOf } from '../../testing/commands';
import { deciderSpec } from '../../testing/given-when-then';
import { readmeExample } from '../../testing/readme-examples';
import { UnknownStep } from '../errors';
import { diagnoseStuck } from '../wake-ups';
import { CaseNotResettable } from './errors';

const T0 = 1_000_000;
const wf = loadDefinition(readmeExample('controls'));
const spec = deciderSpec(wf);
const scheduled = (events: readonly { type: string; data: unknown }[]) =>
  events.filter((e) => e.type === 'StepScheduled').map((e) => `${(e.data as { stepId: string }).stepId}#${(e.data as { attempt: number }).attempt}`);

describe('the README example of the case-level controls', () => {
  it('compiles its deadline and budget (cost in integer micro-dollars)', () => {
    assert.equal(wf.caseTimeoutMs, 2 * 3600_000);
    assert.deepEqual(wf.budget, { tokens: 50000, costMicros: 2_000_000, onExceeded: 'pause' });
  });

  it('refuses a budget with no limit, a cost with more than 6 decimals and a bad timeout, naming the field', () => {
    const base = { name: 'b', version: 1, steps: { a: { type: 'x.a' } } };
    assert.throws(() => defineWorkflow({ ...base, budget: { onExceeded: 'fail' } }), (e: DefinitionError) => e.issues.some((i) => i.field === 'budget'));
    assert.throws(() => defineWorkflow({ ...base, budget: { cost: 0.0000001 } }), (e: DefinitionError) => e.issues.some((i) => i.field === 'budget.cost'));
    assert.throws(() => defineWorkflow({ ...base, timeout: 'two hours' }), (e: DefinitionError) => e.issues.some((i) => i.field === 'timeout'));
  });
});

describe('pause and resume', () => {
  it('records the result of a running attempt while paused but starts nothing, and starts it on resume', async () => {
    const history = await spec.run([cmd.start(), cmd.pause('month end')]);
    assert.deepEqual(history.at(-1), { type: 'CasePaused', data: { by: 'ops', reason: 'month end', at: T0 } });
    const done = await spec.given(history).when(cmd.completed('extract', 1)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted']);
      assert.equal(o.requests.length, 0);
    });
    await spec.given([...history, ...done.events]).when(cmd.resume(), { now: T0 + 5000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseResumed', 'StepScheduled']);
      assert.deepEqual(o.requests.map((r) => r.stepId), ['assess']);
      assert.equal(o.after.controls.paused, null);
    });
  });

  it('holds a retry that comes due while paused and dispatches it on resume', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.failed('assess', 1), cmd.pause()]);
    await spec.given(history).when(cmd.timer('c-1', 'retry', 'assess', 2), { now: T0 + 1000 }).then((o) => {
      assert.equal(o.events.length, 0);
      assert.equal(o.ignored, 'case-paused');
    });
    await spec.given(history).when(cmd.resume(), { now: T0 + 9000 }).then((o) => {
      assert.deepEqual(scheduled(o.events), ['assess#2']);
    });
  });

  it('sets the timer of a retry not yet due again on resume, instead of dispatching it early', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.failed('assess', 1), cmd.pause()]);
    await spec.given(history).when(cmd.resume(), { now: T0 + 10 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseResumed']);
      assert.deepEqual(o.timers, [{ timerId: 'c-1:retry:assess:2', kind: 'retry', dueAt: T0 + 1000, stepId: 'assess', attempt: 2 }]);
    });
  });

  it('holds a fallback while paused and starts it on resume', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.completed('assess', 1), cmd.pause(), cmd.failed('draft', 1, 'Broken', false)]);
    assert.deepEqual(typesOf(history.slice(-3)), ['StepAttemptFailed', 'StepFailed', 'FallbackStarted']);
    await spec.given(history).when(cmd.resume()).then((o) => assert.deepEqual(scheduled(o.events), ['template#1']));
  });

  it('ignores a pause of a paused case, a resume of a running one and a pause of an ended one', async () => {
    const paused = await spec.run([cmd.start(), cmd.pause()]);
    await spec.given(paused).when(cmd.pause()).then((o) => assert.equal(o.ignored, 'already-paused'));
    const running = await spec.run([cmd.start()]);
    await spec.given(running).when(cmd.resume()).then((o) => assert.equal(o.ignored, 'not-paused'));
    const ended = await spec.run([cmd.start(), cmd.cancel()]);
    await spec.given(ended).when(cmd.pause()).then((o) => assert.equal(o.ignored, 'case-ended'));
  });

  it('counts a paused case with nothing in flight as waiting for a person, not stuck', async () => {
    const history = await spec.run([cmd.start(), cmd.pause(), cmd.completed('extract', 1)]);
    const state = (await spec.given(history).when(cmd.pause()).then(() => undefined)).after;
    assert.equal(diagnoseStuck(state, new Set(['c-1:case-timeout'])), null);
  });

  it('records the authenticated principal as by, over requestedBy', async () => {
    await spec.given(await spec.run([cmd.start()])).when({ type: 'PauseCase', data: { requestedBy: 'me', principal: 'alice@corp' } })
      .then((o) => assert.equal((o.events[0]!.data as { by: string }).by, 'alice@corp'));
  });
});

describe('the case deadline', () => {
  it('records the deadline at start and sets its timer', async () => {
    await spec.given([]).when(cmd.start()).then((o) => {
      assert.equal((o.events[0]!.data as { deadlineAt?: number }).deadlineAt, T0 + 7_200_000);
      assert.ok(o.timers.some((t) => t.timerId === 'c-1:case-timeout' && t.kind === 'case-timeout' && t.dueAt === T0 + 7_200_000));
    });
  });

  it('fails an open case at its deadline: abandons the running attempt, compensates, cancels the attempt timer', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1)]);
    const at = T0 + 7_200_000;
    const timedOut = await spec.given(history).when(cmd.timer('c-1', 'case-timeout'), { now: at }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseTimedOut', 'StepAbandoned', 'CompensationStarted', 'CompensationScheduled']);
      assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:assess:1'));
      assert.deepEqual(o.requests.map((r) => r.stepId), ['compensate:extract']);
    });
    await spec.given([...history, ...timedOut.events]).when(cmd.completed('compensate:extract', 1), { now: at + 10 }).then((o) => {
      const failed = o.events.at(-1)!;
      assert.equal(failed.type, 'CaseFailed');
      assert.deepEqual((failed.data as { error: { name: string } }).error.name, 'CaseTimeout');
      assert.equal((failed.data as { stepId: string }).stepId, '');
      assert.ok(o.cancelTimers.includes('c-1:sla'));
    });
  });

  it('fails a paused case at its deadline too, which ends the pause', async () => {
    const history = await spec.run([cmd.start(), cmd.pause()]);
    await spec.given(history).when(cmd.timer('c-1', 'case-timeout'), { now: T0 + 7_200_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['CaseTimedOut', 'StepAbandoned', 'CompensationStarted', 'CaseFailed']);
      assert.equal(o.after.controls.paused, null);
    });
  });

  it('cancels the deadline timer when the case ends first, and ignores the timer of an ended case', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.completed('assess', 1)]);
    const done = await spec.given(history).when(cmd.completed('draft', 1)).then((o) => {
      assert.equal(o.events.at(-1)!.type, 'CaseCompleted');
      assert.ok(o.cancelTimers.includes('c-1:case-timeout'));
    });
    await spec.given([...history, ...done.events]).when(cmd.timer('c-1', 'case-timeout'), { now: T0 + 7_200_000 }).then((o) => assert.equal(o.ignored, 'case-ended'));
  });
});

describe('reset to a step', () => {
  it('abandons what runs from the step on and runs it again as new attempts, keeping the history', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.completed('assess', 1)]);
    const reset = await spec.given(history).when(cmd.reset('assess'), { now: T0 + 50 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAbandoned', 'CaseReset', 'StepScheduled']);
      assert.deepEqual(o.events[0]!.data, { stepId: 'draft', attempt: 1, reason: 'case-reset', at: T0 + 50 });
      assert.deepEqual(o.events[1]!.data, { stepId: 'assess', reset: ['assess', 'draft'], by: 'ops', at: T0 + 50 });
      assert.deepEqual(scheduled(o.events), ['assess#2']);
      assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:draft:1'));
      assert.deepEqual(o.after.steps.assess!.attempts.map((a) => a.outcome), ['completed', 'running']);
      assert.equal(o.after.steps.extract!.status, 'completed');
    });
    const after = [...history, ...reset.events];
    await spec.given(after).when(cmd.completed('draft', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(after).when(cmd.completed('assess', 2)).then((o) => assert.deepEqual(scheduled(o.events), ['draft#2']));
  });

  it('refuses an unknown step, a fallback-only step and a case that is not open', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(cmd.reset('nope')).thenThrows(UnknownStep);
    await spec.given(history).when(cmd.reset('template')).thenThrows(CaseNotResettable, /fallback-only/);
    await spec.given(await spec.run([cmd.start(), cmd.cancel()])).when(cmd.reset('extract')).thenThrows(CaseNotResettable, /cancelled/);
  });

  it('resets a paused case but starts the steps only on resume', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('extract', 1), cmd.pause()]);
    const reset = await spec.given(history).when(cmd.reset('extract')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAbandoned', 'CaseReset']);
      assert.equal(o.requests.length, 0);
    });
    await spec.given([...history, ...reset.events]).when(cmd.resume()).then((o) => assert.deepEqual(scheduled(o.events), ['extract#2']));
  });
});

describe('the per-case budget', () => {
  it('pauses the case (by budget) when a result takes it over its tokens, before anything new starts', async () => {
    const history = await spec.run([cmd.start()]);
    const over = await spec.given(history).when(cmd.metered('extract', 1, 30_000, 20_001, 0.5)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'CaseBudgetExceeded', 'CasePaused']);
      assert.deepEqual((o.events[1]!.data as { usage: unknown }).usage, { tokens: 50_001, costMicros: 500_000 });
      assert.equal((o.events[2]!.data as { by: string }).by, 'budget');
      assert.equal(o.requests.length, 0);
    });
    const resumed = await spec.given([...history, ...over.events]).when(cmd.resume()).then((o) => assert.deepEqual(scheduled(o.events), ['assess#1']));
    // Resumed by an operator: the overrun is accepted, further results do not pause again.
    await spec.given([...history, ...over.events, ...resumed.events]).when(cmd.metered('assess', 1, 10, 10, 5)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.equal(o.after.controls.usage.costMicros, 5_500_000);
    });
  });

  it('sums costs in integer micro-dollars: ten results of $0.10 are exactly $1.00, not over a $1.00 budget', async () => {
    const tenCents = defineWorkflow({
      name: 'cents', version: 1, budget: { cost: 1, onExceeded: 'fail' },
      steps: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`s${i}`, { type: 'x.s', ...(i > 0 && { needs: [`s${i - 1}`] }) }])),
    });
    const cents = deciderSpec(tenCents);
    const history = await cents.run([cmd.start(), ...Array.from({ length: 10 }, (_, i) => cmd.metered(`s${i}`, 1, 0, 0, 0.1))]);
    assert.ok(!typesOf(history).includes('CaseBudgetExceeded'));
    await cents.given(history).when(cmd.metered('s10', 1, 0, 0, 0.1)).then((o) => {
      assert.equal(o.before.controls.usage.costMicros, 1_000_000);
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'CaseBudgetExceeded', 'CompensationStarted', 'CaseFailed']);
      const failed = o.events.at(-1)!.data as { stepId: string; error: { name: string; message: string } };
      assert.equal(failed.stepId, 's10');
      assert.equal(failed.error.name, 'BudgetExceeded');
      assert.match(failed.error.message, /\$1\.100000 \(budget \$1\.000000\)/);
    });
  });
});
