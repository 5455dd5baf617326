import type { ReceiveSignal } from '../../commands';
import { emit, ignore, type Draft } from '../draft';
import { completeEngineStep, signalMatches } from '../engine-steps';
import { advance } from '../progress';
import { isActive, isTerminal, stepState } from '../queries';

/** Statuses in which a `wait` step may still take a signal: not started yet, between attempts, or waiting now. */
const MAY_STILL_WAIT = new Set(['pending', 'retry-wait', 'running']);

/**
 * ReceiveSignal. A signal id the case already received is ignored (`duplicate-signal`); so is a
 * signal for an ended (`case-ended`) or compensating case. Otherwise the first running `wait` step
 * on its name that it matches (`correlate`) completes with its payload (`SignalReceived` with
 * `stepId`, `StepCompleted`) and the case moves on. With no such step running, the signal is kept
 * (`SignalReceived` without `stepId`) while a wait step on its name can still wait; a signal no
 * step can take any more is ignored (`signal-late`), one no step waits for at all
 * `signal-unexpected`.
 * @internal
 */
export async function receiveSignal(d: Draft, cmd: ReceiveSignal): Promise<void> {
  const { signalId, name, payload, principal } = cmd.data;
  if (d.state.signals?.[signalId] !== undefined) return ignore(d, 'duplicate-signal');
  if (!isActive(d.state)) return ignore(d, isTerminal(d.state) ? 'case-ended' : 'case-compensating');
  const wf = d.ctx.workflow;
  const waits = wf.stepOrder.filter((id) => wf.steps[id]!.wait?.signal === name);
  if (waits.length === 0) return ignore(d, 'signal-unexpected');
  const signal = { signalId, name, payload: payload ?? null, ...(principal !== undefined && { principal }) };
  for (const id of waits) {
    if (stepState(d.state, id).status !== 'running' || !(await signalMatches(d, wf.steps[id]!, signal))) continue;
    emit(d, { type: 'SignalReceived', data: { ...signal, stepId: id, receivedAt: d.ctx.now } });
    await completeEngineStep(d, id, signal.payload);
    await advance(d);
    return;
  }
  if (!waits.some((id) => MAY_STILL_WAIT.has(stepState(d.state, id).status))) return ignore(d, 'signal-late');
  emit(d, { type: 'SignalReceived', data: { ...signal, receivedAt: d.ctx.now } });
}
