import type { DecideReview } from '../../commands';
import { ignore, type Draft } from '../draft';
import { InvalidReviewOutput, UnknownTask } from '../errors';
import { advance } from '../progress';
import { isActive } from '../queries';
import { applyReviewDecision } from '../review';

/**
 * DecideReview: approve (the output stands), reject (the step fails, non-retryable), or edit (the
 * corrected output replaces it, after `ctx.validateOutput`). A decision on a task that is no
 * longer open changes nothing, so a redelivered decision is harmless.
 * @throws {UnknownTask} when the case never opened the task
 * @throws {InvalidReviewOutput} when an edit has no output or its output breaks the schema
 * @internal
 */
export async function decideReview(d: Draft, cmd: DecideReview): Promise<void> {
  const { taskId, decision, output, comment, reviewer, principal } = cmd.data;
  const task = d.state.tasks[taskId];
  if (!task) throw new UnknownTask(d.state.caseId, taskId);
  if (task.status !== 'open' || !isActive(d.state)) return ignore(d, isActive(d.state) ? 'task-closed' : 'case-ended');
  if (decision === 'edit') {
    const stepType = d.ctx.workflow.steps[task.stepId]!.type;
    if (output === undefined) throw new InvalidReviewOutput(taskId, stepType, ['output: is required for an edit']);
    const problems = d.ctx.validateOutput?.(stepType, output) ?? [];
    if (problems.length > 0) throw new InvalidReviewOutput(taskId, stepType, problems);
  }
  await applyReviewDecision(d, task, {
    decision, ...(decision === 'edit' && { output }), ...(comment !== undefined && { comment }),
    ...(reviewer !== undefined && { reviewer }), ...(principal !== undefined && { principal }), decidedBy: 'reviewer',
  });
  await advance(d);
}
