import { ExpressionEvaluationError } from '../expression';
import { ENGINE_ERROR_NAMES } from '../step-error';
import { emit, setTimer, type Draft } from './draft';
import { stepExhausted } from './failure';
import { timerId } from './ids';
import { caseContext, stepState } from './queries';
import type { ReviewTask } from './state';

/**
 * Evaluates the review gate of a step that just completed. Reads `{ output, input, case, steps }`.
 * A gate whose expression fails at run time asks for a review (a person looks rather than nobody).
 * @returns the reason to review, or undefined when the output may stand
 * @internal
 */
export async function reviewReason(d: Draft, stepId: string): Promise<string | undefined> {
  const review = d.ctx.workflow.steps[stepId]!.review;
  if (!review) return undefined;
  if (!review.when) return 'review: always';
  const st = stepState(d.state, stepId);
  const context = caseContext(d.state, d.ctx.workflow);
  try {
    const hit = await review.when.evaluate({ output: st.output, input: st.input, ...context }, d.ctx.now);
    return hit ? `review.when: ${review.when.source}` : undefined;
  } catch (e) {
    if (!(e instanceof ExpressionEvaluationError)) throw e;
    return `review.when failed, so a person decides: ${e.message}`;
  }
}

/** Opens a review task (id `<caseId>:review:<stepId>:<attempt>`) and its timeout timer. @internal */
export function requestReview(d: Draft, stepId: string, reason: string): void {
  const def = d.ctx.workflow.steps[stepId]!;
  const review = def.review!;
  const st = stepState(d.state, stepId);
  const caseId = d.state.caseId!;
  const taskId = `${caseId}:review:${stepId}:${st.attempt}`;
  const dueAt = review.timeoutMs !== undefined ? d.ctx.now + review.timeoutMs : undefined;
  const context = caseContext(d.state, d.ctx.workflow);
  const steps = { ...context.steps, [stepId]: { ...context.steps[stepId]!, status: 'awaiting-review' } };
  emit(d, {
    type: 'ReviewRequested',
    data: {
      taskId, stepId, stepType: def.type, attempt: st.attempt, queue: review.queue, reason, output: st.output, input: st.input ?? null,
      context: { ...context, steps }, requestedAt: d.ctx.now, ...(dueAt !== undefined && { dueAt }),
    },
  });
  if (dueAt !== undefined) {
    setTimer(d, { timerId: timerId(caseId, 'review-timeout', stepId, st.attempt), kind: 'review-timeout', dueAt, stepId, attempt: st.attempt });
  }
}

/** Records a decision; a rejection fails the step, non-retryable (`ReviewRejected`). @internal */
export async function applyReviewDecision(
  d: Draft,
  task: ReviewTask,
  decision: { decision: 'approve' | 'reject' | 'edit'; output?: unknown; comment?: string; reviewer?: string; principal?: string; decidedBy: 'reviewer' | 'timeout' },
): Promise<void> {
  emit(d, {
    type: 'ReviewDecided',
    data: {
      taskId: task.taskId, stepId: task.stepId, decision: decision.decision,
      ...(decision.decision === 'edit' && { output: decision.output }),
      ...(decision.comment !== undefined && { comment: decision.comment }),
      ...(decision.reviewer !== undefined && { reviewer: decision.reviewer }),
      ...(decision.principal !== undefined && { principal: decision.principal }),
      decidedBy: decision.decidedBy, decidedAt: d.ctx.now,
    },
  });
  if (decision.decision === 'reject') {
    const message = decision.comment ?? (decision.decidedBy === 'timeout' ? 'the review timed out (onTimeout: reject)' : 'rejected by a reviewer');
    await stepExhausted(d, task.stepId, { name: ENGINE_ERROR_NAMES.reviewRejected, message, retryable: false });
  }
}
