import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defineWorkflow } from '../definition/load';
import type { MapInput, ReviewTimeoutAction, StepInput, WorkflowDefinitionInput } from '../definition/types';
import { simulate } from '../testing/simulator';
import { foldEvents } from './fold';
import { isTerminal, resolution } from './queries';

const stepShape = fc.record({
  needsMask: fc.integer({ min: 0, max: 63 }),
  when: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.boolean(), weight: 1 }),
  mapInput: fc.boolean(),
  maxAttempts: fc.integer({ min: 1, max: 3 }),
  initialSeconds: fc.integer({ min: 1, max: 5 }),
  coefficient: fc.constantFrom(1, 1.5, 2, 3),
  capFactor: fc.integer({ min: 1, max: 4 }),
  jitter: fc.constantFrom(0, 0.1, 0.5, 1),
  nonRetryable: fc.boolean(),
  timeoutSeconds: fc.integer({ min: 5, max: 30 }),
  heartbeatSeconds: fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
  fallback: fc.boolean(),
  compensate: fc.boolean(),
  review: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom<ReviewTimeoutAction>('escalate', 'approve', 'reject'), weight: 2 },
  ),
  // Engine steps: a wait for a signal (half of them with a correlate), a sleep, an until.
  engine: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constantFrom<'wait' | 'wait-correlated' | 'sleep' | 'until'>('wait', 'wait-correlated', 'sleep', 'until'), weight: 2 },
  ),
  // A fan-out (map) step: its items, concurrency and failure policy (no input mapping, heartbeat or review).
  map: fc.option(fc.record({
    items: fc.integer({ min: 0, max: 5 }),
    maxConcurrency: fc.integer({ min: 1, max: 3 }),
    failure: fc.constantFrom<MapInput['failure']>('failFast', 'collect', undefined),
    tolerated: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  }), { nil: undefined, freq: 3 }),
  // A sub-workflow step: each attempt starts a child case (answered by the simulator as ChildCaseEnded).
  subWorkflow: fc.boolean(),
});

/** The engine part of a step shape, replacing the consumer's request fields. */
function engineStep(kind: 'wait' | 'wait-correlated' | 'sleep' | 'until', id: string, seconds: number): StepInput {
  switch (kind) {
    case 'wait': return { wait: { signal: `sig.${id}`, timeout: `PT${seconds}S` } };
    case 'wait-correlated': return { wait: { signal: `sig.${id}`, timeout: `PT${seconds}S`, correlate: 'signal.payload.ok' } };
    case 'sleep': return { sleep: `PT${seconds}S` };
    case 'until': return { until: `$fromMillis($millis() + ${seconds * 1000})` };
  }
}

/** A random valid DAG: each step needs a random subset of the earlier ones. */
const controls = fc.record({
  caseTimeoutSeconds: fc.option(fc.integer({ min: 20, max: 200 }), { nil: undefined }),
  budget: fc.option(fc.record({ tokens: fc.integer({ min: 100, max: 3000 }), cost: fc.constantFrom(0.05, 0.1, 1), onExceeded: fc.constantFrom<'pause' | 'fail'>('pause', 'fail') }), { nil: undefined }),
});

const scenario = fc.record({ shapes: fc.array(stepShape, { minLength: 1, maxLength: 7 }), seed: fc.integer(), controls }).map(({ shapes, seed, controls }) => {
  const steps: Record<string, StepInput> = {};
  const flags: Record<string, boolean> = {};
  shapes.forEach((s, i) => {
    const id = `s${i}`;
    const needs = shapes.slice(0, i).map((_, j) => `s${j}`).filter((_, j) => (s.needsMask >> j) & 1);
    if (s.when !== undefined) flags[id] = s.when;
    const consumer: StepInput = {
      type: `t.${id}`,
      ...(needs.length > 0 && { needs }),
      ...(s.when !== undefined && { when: `case.input.flags.${id}` }),
      ...(s.mapInput && { input: `{ "case": case.id, "from": $map([${needs.map((n) => `"${n}"`).join(',')}], function($n) { $lookup(steps, $n).output }) }` }),
      retry: {
        maxAttempts: s.maxAttempts, initialInterval: `PT${s.initialSeconds}S`, backoffCoefficient: s.coefficient,
        maxInterval: `PT${s.initialSeconds * s.capFactor}S`, jitter: s.jitter, ...(s.nonRetryable && { nonRetryable: ['Fatal'] }),
      },
      timeout: `PT${s.timeoutSeconds}S`,
      ...(s.heartbeatSeconds !== undefined && { heartbeat: `PT${s.heartbeatSeconds}S` }),
      ...(s.fallback && { fallback: `f${i}` }),
      ...(s.compensate && { compensate: `undo.${id}` }),
      ...(s.review && { review: { when: 'output.review', queue: 'q', timeout: 'PT60S', onTimeout: s.review } }),
    };
    if (s.engine === undefined) steps[id] = consumer;
    else {
      const { type: _t, input: _i, timeout: _o, heartbeat: _h, compensate: _c, ...rest } = consumer;
      steps[id] = { ...rest, ...engineStep(s.engine, id, s.timeoutSeconds), ...(s.review && { review: { when: 'output.ok = false', queue: 'q', timeout: 'PT60S', onTimeout: s.review } }) };
    }
    if (s.subWorkflow && !s.map && s.engine === undefined) {
      const step = steps[id]!;
      step.type = 'workflow';
      step.workflow = { name: `child${i}`, version: 1 };
      delete step.heartbeat;
      delete step.review;
    }
    if (s.map && s.engine === undefined) {
      const { items, maxConcurrency, failure, tolerated } = s.map;
      const step = steps[id]!;
      delete step.input;
      delete step.heartbeat;
      delete step.review;
      step.map = {
        items: `[${Array.from({ length: items }, (_, k) => `{ "k": ${k} }`).join(', ')}]`, maxConcurrency,
        ...(failure !== undefined && { failure }), ...(failure === 'collect' && tolerated !== undefined && { toleratedFailures: tolerated }),
      };
    }
    if (s.fallback) steps[`f${i}`] = { type: `t.f${i}`, retry: { maxAttempts: 2, jitter: 0.2 }, timeout: 'PT10S' };
  });
  const definition: WorkflowDefinitionInput = {
    name: 'random', version: 1, sla: 'PT40S', steps,
    ...(controls.caseTimeoutSeconds !== undefined && { timeout: `PT${controls.caseTimeoutSeconds}S` }), ...(controls.budget !== undefined && { budget: controls.budget }),
  };
  return { definition, input: { flags }, seed };
});

describe('the decider under a simulated orchestrator (property), wait, sleep and until steps included', () => {
  it('terminates every case, replays deterministically, respects needs and ignores redelivery', async () => {
    let totalDecisions = 0;
    const seen = new Map<string, number>();
    let itemsCompleted = 0;
    let itemsFailed = 0;
    let childrenEnded = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ definition, input, seed }) => {
        const workflow = defineWorkflow(definition);
        const { events, live, decisions } = await simulate(workflow, input, seed);
        totalDecisions += decisions;
        for (const e of events) {
          const kind = e.type === 'StepCompleted' || e.type === 'StepTimedOut' ? `${e.type}:${workflow.steps[e.data.stepId]!.kind ?? 'consumer'}` : e.type;
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
          if (kind !== e.type) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
        }
        itemsCompleted += events.filter((e) => e.type === 'MapItemCompleted').length;
        itemsFailed += events.filter((e) => e.type === 'MapItemFailed').length;
        childrenEnded += events.filter((e) => (e.type === 'StepCompleted' || e.type === 'StepAttemptFailed') && definition.steps[e.data.stepId]?.type === 'workflow').length;
        // (c) every case terminates (simulate asserts it too)
        assert.ok(isTerminal(live));
        // (a) the state folded from the recorded events, after a JSON round trip, equals the live state
        const stored = JSON.parse(JSON.stringify(events));
        assert.deepStrictEqual(foldEvents(stored), live);
        // (b) folding is deterministic
        assert.deepStrictEqual(foldEvents(stored), foldEvents(stored));
        // outcome is consistent with the state
        if (live.status === 'completed') {
          for (const id of workflow.stepOrder) {
            if (workflow.steps[id]!.fallbackFor === undefined) assert.notEqual(resolution(live, id).kind, 'waiting', id);
          }
        } else {
          assert.equal(live.compensation!.next, live.compensation!.plan.length, 'every compensation ran');
        }
        // (d) and (e) are asserted inside the simulator, at every decision (with: nothing scheduled while paused)
        // usage is the sum of every recorded result's metering, in integer micro-dollars
        const metered = events.flatMap((e) => (e.type === 'StepCompleted' && e.data.metering ? [e.data.metering] : []));
        assert.equal(live.controls.usage.tokens, metered.reduce((n, m) => n + m.inputTokens + m.outputTokens, 0));
        assert.equal(live.controls.usage.costMicros, metered.reduce((n, m) => n + Math.round(m.costUsd * 1e6), 0));
        assert.ok(Number.isInteger(live.controls.usage.costMicros));
      }),
      { numRuns: 200 },
    );
    assert.ok(totalDecisions > 150);
    // The engine steps were exercised: kept and taken signals, waits completed and timed out, sleeps and untils woken.
    for (const kind of ['SignalReceived', 'SignalConsumed', 'StepCompleted:wait', 'StepTimedOut:wait', 'StepCompleted:sleep', 'StepCompleted:until']) {
      assert.ok((seen.get(kind) ?? 0) > 0, `${kind} never happened: ${JSON.stringify([...seen])}`);
    }
    // the runs exercised the case-level controls
    for (const type of ['CasePaused', 'CaseResumed', 'CaseReset', 'CaseTimedOut', 'CaseBudgetExceeded']) assert.ok((seen.get(type) ?? 0) > 0, `no ${type} in 200 runs`);
    assert.ok(itemsCompleted > 50 && itemsFailed > 20, `map items ran: ${itemsCompleted} completed, ${itemsFailed} failed attempts`);
    assert.ok(childrenEnded > 30, `child cases ended: ${childrenEnded}`);
  });
});
