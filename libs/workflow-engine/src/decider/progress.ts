import { emit, type Draft } from './draft';
import { startStep } from './dispatch';
import { settleEngineSteps } from './engine-steps';
import { stepExhausted } from './failure';
import { isActive, resolution, stepState } from './queries';
import { isPaused } from './controls/paused';

/**
 * Moves the case forward as far as it can go without outside input: skips steps whose needs were
 * all skipped or whose `when` is false, schedules every other ready step (all at once: parallel),
 * and completes the case when no step is left to run. Repeats until nothing changes, because a
 * skip can make further steps ready. A step that cannot start (its expression fails, its input is
 * refused) is exhausted at once. A paused case starts nothing (it may still complete).
 * @internal
 */
export async function advance(d: Draft): Promise<void> {
  const wf = d.ctx.workflow;
  let changed = true;
  while (changed && isActive(d.state)) {
    // Engine steps settle while paused too (a sleep that woke, a wait a kept signal answers: like a
    // result of a running attempt, it is recorded); a paused case starts nothing new.
    changed = await settleEngineSteps(d);
    if (isPaused(d.state)) break;
    for (const id of wf.stepOrder) {
      if (!isActive(d.state)) return;
      const def = wf.steps[id]!;
      if (def.fallbackFor !== undefined || stepState(d.state, id).status !== 'pending') continue;
      const needs = def.needs.map((n) => resolution(d.state, n).kind);
      if (needs.includes('waiting')) continue;
      changed = true;
      if (needs.length > 0 && needs.every((k) => k === 'skipped')) {
        emit(d, { type: 'StepSkipped', data: { stepId: id, reason: 'needs-skipped', skippedAt: d.ctx.now } });
      } else {
        const error = await startStep(d, id);
        if (error !== undefined) await stepExhausted(d, id, error);
      }
    }
  }
  if (isActive(d.state)) completeIfDone(d);
}

function completeIfDone(d: Draft): void {
  const wf = d.ctx.workflow;
  const output: Record<string, unknown> = {};
  for (const id of wf.stepOrder) {
    if (wf.steps[id]!.fallbackFor !== undefined) continue;
    const r = resolution(d.state, id);
    if (r.kind === 'waiting') return;
    if (r.kind === 'done') output[id] = r.output;
  }
  emit(d, { type: 'CaseCompleted', data: { output, completedAt: d.ctx.now } });
}
