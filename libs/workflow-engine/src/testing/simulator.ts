import assert from 'node:assert/strict';
import type { CaseCommand } from '../commands';
import type { WorkflowDefinition } from '../definition/types';
import type { CaseEvent } from '../events';
import { decide } from '../decider/decide';
import type { StepDispatch, TimerRequest } from '../decider/decision';
import { CaseCommandError } from '../decider/errors';
import { evolve } from '../decider/evolve';
import { isTerminal, resolution } from '../decider/queries';
import { initialState, type CaseState } from '../decider/state';
import { diagnoseStuck } from '../decider/wake-ups';

/** A small seeded PRNG (mulberry32), so a failing run replays from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one simulated case left behind. */
export interface SimulationResult {
  readonly events: CaseEvent[];
  readonly live: CaseState;
  readonly decisions: number;
  readonly redeliveries: number;
}

const MAX_DECISIONS = 3000;

/**
 * Plays the orchestrator and the outside world for one case: answers step requests in random
 * order (complete, retryable failure, non-retryable failure, or silence until the attempt timer
 * fires), redelivers results and already-handled commands, fires timers, decides review tasks,
 * sometimes cancels, and retries a failed case once. Checks as it goes that no step is scheduled
 * before its needs are done, that redelivering a handled command adds no events, and that every
 * state not ended has something to wake it (`diagnoseStuck`: no expected timer missing).
 */
export async function simulate(workflow: WorkflowDefinition, caseInput: unknown, seed: number): Promise<SimulationResult> {
  const rnd = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  let now = 1_000_000;
  let live = initialState();
  const events: CaseEvent[] = [];
  const inflight = new Map<string, StepDispatch>();
  const timers = new Map<string, TimerRequest>();
  const handled: { command: CaseCommand; at: number }[] = [];
  let decisions = 0;
  let redeliveries = 0;
  let operatorRetries = 0;
  let cancelled = false;
  let controlActions = 0;
  let resets = 0;
  const validateOutput = (_type: string, output: unknown): string[] =>
    (output as { invalid?: boolean } | null)?.invalid ? ['invalid: must not be set'] : [];
  // About one dispatch in 25 is refused (deterministic in the request, as a contract check is).
  const validateInput = (r: StepDispatch) =>
    hash(`${seed}:${r.stepId}:${r.attempt}`) % 25 === 0 ? { name: 'InputSchemaViolation', message: `input of ${r.stepId}: refused by the simulator` } : undefined;

  // Signals for the workflow's wait steps, from a small pool of ids so that duplicates happen; one name no step waits for.
  const signalNames = [...workflow.stepOrder.flatMap((id) => (workflow.steps[id]!.wait ? [workflow.steps[id]!.wait!.signal] : [])), 'nobody.waits'];
  const run = async (command: CaseCommand, at = now): Promise<CaseEvent[] | 'refused'> => {
    decisions++;
    let decision;
    try {
      decision = await decide(command, live, { workflow, now: at, random: rnd, validateOutput, validateInput });
    } catch (e) {
      if (e instanceof CaseCommandError) return 'refused';
      throw e;
    }
    for (const event of decision.events) {
      if (event.type === 'StepScheduled' || event.type === 'MapStarted') assertReady(workflow, live, event.data.stepId);
      // Nothing new starts while the case is paused (a resume folds CaseResumed first).
      if (event.type === 'StepScheduled' && live.controls.paused !== null) assert.fail(`${event.data.stepId} scheduled while paused (after ${command.type})`);
      // Frozen, so a decide or evolve that mutated its inputs would throw here.
      live = deepFreeze(evolve(live, deepFreeze(event)));
      events.push(event);
    }
    for (const r of decision.requests) inflight.set(`${r.stepId}#${r.attempt}`, r);
    // A child case started by a sub-workflow step answers like a step: its end arrives as ChildCaseEnded.
    for (const c of decision.children ?? []) {
      inflight.set(`child:${c.caseId}`, { caseId: c.caseId, stepId: c.parent.stepId, stepType: 'workflow', attempt: c.parent.attempt, input: c.input, params: {}, deadline: 0, idempotencyKey: c.key });
    }
    for (const id of decision.cancelTimers) timers.delete(id);
    for (const t of decision.timers) timers.set(t.timerId, t);
    assert.equal(decision.ignored !== undefined, decision.events.length === 0, `after ${command.type}: ignored (${decision.ignored}) must be set exactly when no event is recorded`);
    // Invariant: every state that is not ended has something that will wake it, and every timer
    // its events expect is set (what the orchestrator's stuck-case check tests on real cases).
    // A map step never has more items in flight than its maxConcurrency.
    for (const st of Object.values(live.steps)) if (st.map) assert.ok(st.map.inFlight <= st.map.maxConcurrency, `${st.stepId}: ${st.map.inFlight} items in flight`);
    const stuck = diagnoseStuck(live, new Set(timers.keys()));
    assert.equal(stuck, null, `after ${command.type}: ${stuck?.reasons.join('; ')}`);
    return decision.events;
  };
  const handle = async (command: CaseCommand): Promise<void> => {
    const result = await run(command);
    // A signal that changed nothing (late, unexpected) leaves no event: after a reset a wait could take
    // it, so only the orchestrator's inbox (by message id) dedupes its redelivery: not redelivered here.
    const ignoredSignal = command.type === 'ReceiveSignal' && result !== 'refused' && result.length === 0;
    if ((result !== 'refused' || command.type === 'DecideReview') && !ignoredSignal) handled.push({ command, at: now });
  };

  await handle({ type: 'StartCase', data: { caseId: 'sim', input: caseInput, triggeredBy: 'simulator' } });

  while (decisions < MAX_DECISIONS) {
    if (isTerminal(live)) {
      if (live.status === 'failed' && operatorRetries === 0 && rnd() < 0.5) {
        operatorRetries++;
        const failed = live.failure!.stepId;
        // A case failed by its deadline names no step ('').
        const target = workflow.steps[failed] ? (workflow.steps[failed]!.fallbackFor ?? failed) : workflow.stepOrder.find((id) => workflow.steps[id]!.fallbackFor === undefined)!;
        now += 1000;
        const result = await run({ type: 'RetryStep', data: { stepId: target, requestedBy: 'sim' } });
        // Operator requests from before the re-open would be new requests now (the orchestrator's inbox dedupes them by message id).
        // So would signals: one ignored as late may be taken once its wait step is pending again.
        handled.splice(0, handled.length, ...handled.filter((h) => h.command.type !== 'CancelCase' && h.command.type !== 'ReceiveSignal'));
        assert.notEqual(result, 'refused', 'retrying a failed case is accepted');
        continue;
      }
      break;
    }
    const openTasks = Object.values(live.tasks).filter((t) => t.status === 'open');
    const roll = rnd();
    // Operators: resume a paused case now and then (the budget pauses it too), pause and reset at random.
    if (live.controls.paused !== null && rnd() < 0.08) {
      now += Math.floor(rnd() * 3000);
      await run({ type: 'ResumeCase', data: { requestedBy: 'sim' } });
      continue;
    }
    if (controlActions < 6 && roll > 0.95 && roll <= 0.995) {
      controlActions++;
      const open = live.status === 'running' || live.status === 'awaiting-review';
      const steps = workflow.stepOrder.filter((id) => workflow.steps[id]!.fallbackFor === undefined);
      const command: CaseCommand = resets < 2 && rnd() < 0.4
        ? { type: 'ResetCase', data: { stepId: pick(steps), requestedBy: 'sim' } }
        : { type: 'PauseCase', data: { requestedBy: 'sim' } };
      if (command.type === 'ResetCase') resets++;
      // Operator requests are not redelivered: the orchestrator's inbox dedupes their message ids.
      const result = await run(command);
      assert.ok(result !== 'refused' || (command.type === 'ResetCase' && !open), `${command.type} refused on an open case`);
      continue;
    }
    if (inflight.size > 0 && roll < 0.6) {
      const key = pick([...inflight.keys()]);
      const request = inflight.get(key)!;
      if (rnd() < 0.85) inflight.delete(key); // else: it will be delivered again
      now += Math.floor(rnd() * 2000);
      const o = rnd();
      const { stepId, attempt } = request;
      if (key.startsWith('child:')) {
        const childCaseId = request.caseId;
        await handle(o < 0.6
          ? { type: 'ChildCaseEnded', data: { stepId, attempt, childCaseId, status: 'completed', output: { child: childCaseId } } }
          : o < 0.9
            ? { type: 'ChildCaseEnded', data: { stepId, attempt, childCaseId, status: 'failed', error: { name: 'ChildCaseFailed', message: 'child failed', retryable: true } } }
            : { type: 'ChildCaseEnded', data: { stepId, attempt, childCaseId, status: 'cancelled', error: { name: 'ChildCaseCancelled', message: 'child cancelled', retryable: false } } });
      } else if (stepId.startsWith('compensate:')) {
        await handle(o < 0.8
          ? { type: 'StepResultCompleted', data: { stepId, attempt, output: 'undone' } }
          : { type: 'StepResultFailed', data: { stepId, attempt, error: { name: 'UndoFailed', message: 'no', retryable: true } } });
      } else if (o < 0.5) {
        const metering = rnd() < 0.5 ? { metering: { model: 'sim', inputTokens: Math.floor(rnd() * 400), outputTokens: Math.floor(rnd() * 400), costUsd: Math.floor(rnd() * 100) / 1000 } } : {};
        await handle({ type: 'StepResultCompleted', data: { stepId, attempt, output: { stepId, attempt, review: rnd() < 0.4 }, ...metering } });
      } else if (o < 0.7) {
        await handle({ type: 'StepResultFailed', data: { stepId, attempt, error: { name: 'Flaky', message: 'try again', retryable: true } } });
      } else if (o < 0.8) {
        const fatal = rnd() < 0.5 ? { name: 'Fatal', message: 'listed as non-retryable', retryable: true } : { name: 'Broken', message: 'no', retryable: false };
        await handle({ type: 'StepResultFailed', data: { stepId, attempt, error: fatal } });
      } else if (o < 0.85) {
        await handle({ type: 'StepHeartbeatReceived', data: { stepId, attempt } });
      } // else: silence; the attempt-timeout timer will fire
    } else if (openTasks.length > 0 && roll < 0.72) {
      const task = pick(openTasks);
      now += Math.floor(rnd() * 5000);
      const d = rnd();
      const decision = d < 0.4 ? 'approve' : d < 0.65 ? 'reject' : 'edit';
      const output = decision === 'edit' ? (rnd() < 0.3 ? { invalid: true } : { edited: true }) : undefined;
      await handle({ type: 'DecideReview', data: { taskId: task.taskId, decision, ...(output && { output }), reviewer: 'sim' } });
    } else if (handled.length > 1 && roll < 0.82) {
      const { command, at } = pick(handled);
      // A heartbeat means "alive now": redelivered later it would be a new heartbeat, so replay it at its own time.
      const result = await run(command, command.type === 'StepHeartbeatReceived' ? at : now);
      redeliveries++;
      assert.ok(result === 'refused' || result.length === 0, `redelivered ${command.type} added ${result === 'refused' ? '' : result.map((e) => e.type).join(', ')}`);
    } else if (!cancelled && roll > 0.995) {
      cancelled = true;
      await handle({ type: 'CancelCase', data: { reason: 'simulated', requestedBy: 'sim' } });
    } else if (signalNames.length > 1 && roll < 0.9) {
      now += Math.floor(rnd() * 3000);
      await handle({ type: 'ReceiveSignal', data: { signalId: `sig-${Math.floor(rnd() * 8)}`, name: pick(signalNames), payload: { ok: rnd() < 0.7 } } });
    } else if (timers.size > 0) {
      const next = [...timers.values()].reduce((a, b) => (b.dueAt < a.dueAt ? b : a));
      timers.delete(next.timerId);
      now = Math.max(now, next.dueAt);
      await handle({
        type: 'TimerFired',
        data: { timerId: next.timerId, kind: next.kind, ...(next.stepId !== undefined && { stepId: next.stepId }), ...(next.attempt !== undefined && { attempt: next.attempt }) },
      });
    } else if (inflight.size === 0 && openTasks.length === 0 && live.controls.paused !== null) {
      await run({ type: 'ResumeCase', data: { requestedBy: 'sim' } });
    } else if (inflight.size === 0 && openTasks.length === 0) {
      assert.fail(`case stuck in status ${live.status}: nothing in flight, no timer, no open task`);
    }
  }
  assert.ok(isTerminal(live), `case did not terminate within ${MAX_DECISIONS} decisions (status ${live.status})`);
  return { events, live, decisions, redeliveries };
}

/** No step is scheduled before its needs are done; a fallback only after its step fell back. */
function assertReady(workflow: WorkflowDefinition, state: CaseState, stepId: string): void {
  const def = workflow.steps[stepId]!;
  if (def.fallbackFor !== undefined) {
    assert.equal(state.steps[def.fallbackFor]?.status, 'fallen-back', `fallback ${stepId} scheduled before ${def.fallbackFor} fell back`);
    return;
  }
  for (const need of def.needs) {
    assert.notEqual(resolution(state, need).kind, 'waiting', `${stepId} scheduled before its need ${need} was done`);
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
