import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { collect } from '@baton/testing';
import { defineWorkflow, loadDefinition, type CaseEvent } from '@baton/workflow-engine';
import { TestStepWorker, type Reply, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { sendTrigger } from '../testing/trigger';
import { sendCompleted, sendControl } from './signals';

const steps = (names: string[]) => Object.fromEntries(names.map((n, i) => [n, { type: 'noop', ...(i > 0 && { needs: [names[i - 1]!] }) }]));
const pipeline = defineWorkflow({ name: 'controls-pipeline', version: 1, steps: steps(['a', 'b', 'c', 'd']) });
const resettable = defineWorkflow({ name: 'controls-reset', version: 1, steps: { ...steps(['a', 'b', 'c']), c: { type: 'noop', needs: ['b'], timeout: 'PT60S' } } });
const deadline = loadDefinition(`
name: controls-deadline
version: 1
timeout: PT6S
steps:
  a: { type: noop, compensate: noop }
  b: { type: noop, needs: [a], timeout: PT60S }
`);
const budget = (onExceeded: 'pause' | 'fail') => loadDefinition(`
name: controls-budget-${onExceeded}
version: 1
budget: { tokens: 1000, cost: 0.05, onExceeded: ${onExceeded} }
steps:
  a: { type: noop }
  b: { type: noop, needs: [a] }
`);

describe('case-level controls against real Kafka and Postgres', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;
  const behaviours = new Map<string, (r: SeenRequest) => Reply | Promise<Reply>>();

  before(async () => {
    world = await createWorld('controls', ['noop']);
    orchestrator = await startOrchestrator(world);
    for (const wf of [pipeline, resettable, deadline, budget('pause'), budget('fail')]) await orchestrator.registerWorkflow(wf);
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], (r) => (behaviours.get(r.caseId) ?? (() => ({ output: { ok: true } })))(r));
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  const events = async (caseId: string): Promise<CaseEvent[]> =>
    (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
  const until = (caseId: string, what: (es: CaseEvent[]) => boolean, label: string, timeoutMs = 30_000) =>
    waitFor(async () => (what(await events(caseId)) ? true : undefined), `case ${caseId}: ${label}`, timeoutMs);
  const ended = (type: string) => (es: CaseEvent[]) => es.at(-1)?.type === type;
  const start = (workflow: string, behaviour?: (r: SeenRequest) => Reply | Promise<Reply>): Promise<string> =>
    sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow, inputName: 'baton.steps.noop.Input', input: { n: 1 } }).then((id) => {
      if (behaviour) behaviours.set(id, behaviour);
      return id;
    });
  const timersOf = async (caseId: string): Promise<string[]> =>
    (await orchestrator.store.pool.query<{ timer_id: string }>('SELECT timer_id FROM timers WHERE stream_id = $1 ORDER BY timer_id', [caseId])).rows.map((r) => r.timer_id);

  it('pauses 20 of 50 cases mid-flight: their running attempts are recorded, nothing new is dispatched, and all complete after the resume', async () => {
    const t0 = Date.now();
    // Step b of every case is held (no answer yet) until the pauses are recorded: the pause lands while b runs.
    const held: SeenRequest[] = [];
    const holdB = (r: SeenRequest): Reply => {
      if (r.stepId !== 'b') return { output: { ok: true } };
      held.push(r);
      return 'silence';
    };
    const ids = await Promise.all(Array.from({ length: 50 }, () => start(pipeline.name, holdB)));
    const paused = ids.slice(0, 20);
    const others = ids.slice(20);
    await waitFor(async () => (held.length >= 50 ? true : undefined), 'step b of every case to reach the worker');
    await Promise.all(paused.map((id) => sendControl(world, id, 'pause', 'load test')));
    for (const id of paused) await until(id, (es) => es.some((e) => e.type === 'CasePaused'), 'paused');
    await Promise.all(held.map((r) => sendCompleted(world, r)));
    for (const id of others) await until(id, ended('CaseCompleted'), 'completed');
    // The result of each running attempt is still recorded while paused.
    for (const id of paused) await until(id, (es) => es.some((e) => e.type === 'StepCompleted' && e.data.stepId === 'b'), 'b recorded');
    await new Promise((r) => setTimeout(r, 1000)); // time for anything that would wrongly start
    const resumedAt = Date.now();
    for (const id of paused) {
      const es = await events(id);
      const pausedAt = es.findIndex((e) => e.type === 'CasePaused');
      assert.ok(pausedAt > 0, `case ${id} was paused`);
      assert.deepEqual(es.slice(pausedAt + 1).map((e) => `${e.type}:${(e.data as { stepId?: string }).stepId}`), ['StepCompleted:b'], `case ${id}: only b's result after the pause`);
      assert.ok(!worker.seen.some((r) => r.caseId === id && (r.stepId === 'c' || r.stepId === 'd')), `case ${id}: no request for c or d while paused`);
    }
    await orchestrator.projector!.catchUp();
    const summary = (await orchestrator.queries.getCase(paused[0]!))!.summary;
    assert.deepEqual([summary.status, summary.controls?.paused?.by, summary.controls?.paused?.reason], ['running', 'ops', 'load test']);

    await Promise.all(paused.map((id) => sendControl(world, id, 'resume')));
    for (const id of paused) await until(id, ended('CaseCompleted'), 'completed after the resume');
    for (const id of paused) {
      const types = (await events(id)).map((e) => e.type);
      assert.deepEqual(types.slice(types.indexOf('CaseResumed')), ['CaseResumed', 'StepScheduled', 'StepCompleted', 'StepScheduled', 'StepCompleted', 'CaseCompleted']);
      assert.ok(worker.seen.filter((r) => r.caseId === id && r.stepId === 'c').every((r) => r.at >= resumedAt), `case ${id}: c only after the resume`);
    }
    console.log(`# 50 cases, 20 paused mid-flight and resumed: ${Date.now() - t0} ms, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  });

  it('resets an open case to a step: the running attempt is abandoned, the steps from it run again as new attempts, the history is kept', async () => {
    let cFirst = true;
    const id = await start(resettable.name, (r) => {
      if (r.stepId !== 'c' || !cFirst) return { output: { ok: true } };
      cFirst = false;
      return 'silence'; // attempt 1 of c never answers: the case stays open on it
    });
    await until(id, (es) => es.some((e) => e.type === 'StepScheduled' && e.data.stepId === 'c'), 'c dispatched');
    await sendControl(world, id, { reset: 'b' }, 'wrong data upstream');
    await until(id, ended('CaseCompleted'), 'completed after the reset');
    const es = await events(id);
    const reset = es.find((e) => e.type === 'CaseReset')!;
    assert.deepEqual({ ...reset.data, at: 0 }, { stepId: 'b', reset: ['b', 'c'], by: 'ops', reason: 'wrong data upstream', at: 0 });
    assert.ok(es.some((e) => e.type === 'StepAbandoned' && e.data.stepId === 'c' && e.data.reason === 'case-reset'));
    assert.ok(!(await timersOf(id)).includes(`${id}:attempt-timeout:c:1`), 'the abandoned attempt\'s timer was cancelled');
    await orchestrator.projector!.catchUp();
    const detail = (await orchestrator.queries.getCase(id))!;
    assert.deepEqual(detail.executions.map((e) => `${e.stepId}#${e.attempt}:${e.status}`), ['a#1:completed', 'b#1:completed', 'c#1:abandoned', 'b#2:completed', 'c#2:completed']);
    assert.equal(detail.summary.controls?.resets, 1);
    const timeline = await orchestrator.queries.timeline(id);
    assert.ok(timeline.some((t) => t.eventType === 'CaseReset' && /case reset to step b by ops \(runs again: b, c\)/.test(t.summary)));
  });

  it('fails a case at its deadline: the running attempt abandoned, the completed step compensated, no timer left', async () => {
    const id = await start(deadline.name, (r) => (r.stepId === 'b' ? 'silence' : { output: { ok: true } }));
    await until(id, ended('CaseFailed'), 'failed at its deadline', 20_000);
    const es = await events(id);
    const types = es.map((e) => e.type);
    assert.deepEqual(types.slice(types.indexOf('CaseTimedOut')), ['CaseTimedOut', 'StepAbandoned', 'CompensationStarted', 'CompensationScheduled', 'CompensationCompleted', 'CaseFailed']);
    const failed = es.at(-1)!.data as unknown as { stepId: string; error: { name: string }; compensated: string[] };
    assert.deepEqual([failed.stepId, failed.error.name, failed.compensated], ['', 'CaseTimeout', ['a']]);
    const started = es[0]!.data as { startedAt: number; deadlineAt: number };
    assert.equal(started.deadlineAt, started.startedAt + 6000);
    assert.deepEqual(await timersOf(id), [], 'the deadline, attempt and compensation timers are all gone');
  });

  it('pauses a case whose step result takes it over its budget, and fails one whose policy says fail; usage in integer micro-dollars', async () => {
    const metered = (r: SeenRequest): Reply => (r.stepId === 'a'
      ? { output: { ok: true }, metering: { model: 'gpt-test', inputTokens: 800, outputTokens: 300, costUsd: 0.0123 } }
      : { output: { ok: true } });
    const pausing = await start(budget('pause').name, metered);
    const failing = await start(budget('fail').name, metered);
    await until(pausing, (es) => es.some((e) => e.type === 'CasePaused'), 'paused by its budget');
    await until(failing, ended('CaseFailed'), 'failed by its budget');
    const es = await events(pausing);
    assert.deepEqual(es.slice(-3).map((e) => e.type), ['StepCompleted', 'CaseBudgetExceeded', 'CasePaused']);
    const exceeded = es.at(-2)!.data as { usage: unknown; budget: unknown; onExceeded: string };
    assert.deepEqual([exceeded.usage, exceeded.budget, exceeded.onExceeded], [{ tokens: 1100, costMicros: 12_300 }, { tokens: 1000, costMicros: 50_000 }, 'pause']);
    assert.equal((es.at(-1)!.data as { by: string }).by, 'budget');
    assert.ok(!worker.seen.some((r) => r.caseId === pausing && r.stepId === 'b'), 'nothing dispatched after the breach');
    const failure = (await events(failing)).at(-1)!.data as { stepId: string; error: { name: string } };
    assert.deepEqual([failure.stepId, failure.error.name], ['a', 'BudgetExceeded']);

    await orchestrator.projector!.catchUp();
    const controls = (await orchestrator.queries.getCase(pausing))!.summary.controls!;
    assert.deepEqual([controls.usage, controls.budgetExceeded, controls.paused?.by], [{ inputTokens: 800, outputTokens: 300, tokens: 1100, costMicros: 12_300, cost: '0.012300' }, true, 'budget']);

    await sendControl(world, pausing, 'resume');
    await until(pausing, ended('CaseCompleted'), 'completed after an operator resumed it');

    // Every control event went out on baton.case-events too.
    const { rows } = await orchestrator.store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const published = await collect(world.kafka, world.topics.caseEvents, rows[0]!.n, 30_000);
    const types = new Set(published.map((m) => world.catalog.decode(m.message.value!).value as { type: string }).map((v) => v.type));
    for (const t of ['CasePaused', 'CaseResumed', 'CaseReset', 'CaseTimedOut', 'CaseBudgetExceeded']) assert.ok(types.has(t), `${t} on baton.case-events`);
  });
});
