import type { PauseCase, ResumeCase } from '../../commands';
import { scheduleAttempt, startStep } from '../dispatch';
import { emit, ignore, setTimer, type Draft } from '../draft';
import { stepExhausted } from '../failure';
import { timerId } from '../ids';
import { advance } from '../progress';
import { isActive, isTerminal, stepState } from '../queries';
import { actor, isPaused } from './paused';

/**
 * PauseCase (operator): `CasePaused`. From then on nothing new starts: no ready step is
 * dispatched, a retry that comes due waits, a fallback waits; results, heartbeats, timeouts and
 * review decisions of what is running are still recorded. The case deadline still applies, and a
 * case that fails or is cancelled while paused winds down as usual. A case that is not open, or
 * is already paused, changes nothing.
 * @internal
 */
export function pauseCase(d: Draft, cmd: PauseCase): void {
  const s = d.state;
  if (!isActive(s)) return ignore(d, isTerminal(s) ? 'case-ended' : 'case-compensating');
  if (isPaused(s)) return ignore(d, 'already-paused');
  const { reason } = cmd.data;
  emit(d, { type: 'CasePaused', data: { by: actor(cmd.data), ...(reason !== undefined && { reason }), at: d.ctx.now } });
}

/**
 * ResumeCase (operator): `CaseResumed`, then what the pause held starts in the same decision:
 * every retry already due (its timer fired during the pause) is dispatched, and one not yet due
 * has its timer set again; every fallback waiting to start starts; then the ready steps. A case
 * that is not paused changes nothing.
 * @internal
 */
export async function resumeCase(d: Draft, cmd: ResumeCase): Promise<void> {
  if (!isPaused(d.state)) return ignore(d, isTerminal(d.state) ? 'case-ended' : 'not-paused');
  emit(d, { type: 'CaseResumed', data: { by: actor(cmd.data), at: d.ctx.now } });
  await releaseHeld(d);
  await advance(d);
}

/** Starts what a pause held back (see {@link resumeCase}). @internal */
async function releaseHeld(d: Draft): Promise<void> {
  const caseId = d.state.caseId!;
  for (const id of d.ctx.workflow.stepOrder) {
    if (!isActive(d.state)) return;
    const st = stepState(d.state, id);
    if (st.status === 'retry-wait' && st.retryAttempt !== undefined && st.retryDueAt !== undefined) {
      if (st.retryDueAt > d.ctx.now) {
        setTimer(d, { timerId: timerId(caseId, 'retry', id, st.retryAttempt), kind: 'retry', dueAt: st.retryDueAt, stepId: id, attempt: st.retryAttempt });
        continue;
      }
      const error = scheduleAttempt(d, id, st.input, st.retryAttempt, st.fallbackFor);
      if (error !== undefined) await stepExhausted(d, id, error);
    } else if (st.status === 'fallen-back' && st.fallbackStepId !== undefined && stepState(d.state, st.fallbackStepId).status === 'pending') {
      const error = await startStep(d, st.fallbackStepId, id);
      if (error !== undefined) await stepExhausted(d, st.fallbackStepId, error);
    }
  }
}
