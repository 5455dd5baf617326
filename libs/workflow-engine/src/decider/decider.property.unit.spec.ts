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

/** A random valid DAG: each step needs a random subset of the earlier ones. */
const scenario = fc.record({ shapes: fc.array(stepShape, { minLength: 1, maxLength: 7 }), seed: fc.integer() }).map(({ shapes, seed }) => {
  const steps: Record<string, StepInput> = {};
  const flags: Record<string, boolean> = {};
  shapes.forEach((s, i) => {
    const id = `s${i}`;
    const needs = shapes.slice(0, i).map((_, j) => `s${j}`).filter((_, j) => (s.needsMask >> j) & 1);
    if (s.when !== undefined) flags[id] = s.when;
    steps[id] = {
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
    if (s.subWorkflow && !s.map) {
      const step = steps[id]!;
      step.type = 'workflow';
      step.workflow = { name: `child${i}`, version: 1 };
      delete step.heartbeat;
      delete step.review;
    }
    if (s.map) {
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
  const definition: WorkflowDefinitionInput = { name: 'random', version: 1, sla: 'PT40S', steps };
  return { definition, input: { flags }, seed };
});

describe('the decider under a simulated orchestrator (property)', () => {
  it('terminates every case, replays deterministically, respects needs and ignores redelivery', async () => {
    let totalDecisions = 0;
    let itemsCompleted = 0;
    let itemsFailed = 0;
    let childrenEnded = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ definition, input, seed }) => {
        const workflow = defineWorkflow(definition);
        const { events, live, decisions } = await simulate(workflow, input, seed);
        totalDecisions += decisions;
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
        // (d) and (e) are asserted inside the simulator, at every decision
      }),
      { numRuns: 200 },
    );
    assert.ok(totalDecisions > 150);
    assert.ok(itemsCompleted > 50 && itemsFailed > 20, `map items ran: ${itemsCompleted} completed, ${itemsFailed} failed attempts`);
    assert.ok(childrenEnded > 30, `child cases ended: ${childrenEnded}`);
  });
});
