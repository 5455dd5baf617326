import type { Tx } from '@baton/event-store';
import type { ExhaustedStepResolved, StepAbandoned, StepAwaitingOperator } from '@baton/workflow-engine';
import { iso, json } from './sql-values';

/**
 * Writes the tasks of steps waiting for an operator to `human_tasks`, beside the review tasks
 * (queue `operators`, `reason` the exhausted error, `output` null): `StepAwaitingOperator` opens
 * one; `ExhaustedStepResolved` decides it (`decision` `retry` or `skip`, `decided_output` the
 * skip's output, `reviewer` the principal); `StepAbandoned` of its step withdraws it. Idempotent.
 * @internal
 */
export async function writeOperatorTask(tx: Tx, caseId: string, e: StepAwaitingOperator | ExhaustedStepResolved | StepAbandoned): Promise<void> {
  switch (e.type) {
    case 'StepAwaitingOperator': {
      const d = e.data;
      const attempt = Number(d.taskId.slice(d.taskId.lastIndexOf(':') + 1)) || d.attempts;
      await tx.query(
        `INSERT INTO human_tasks (task_id, case_id, step_id, attempt, step_type, queue, status, escalated, reason, output, input, context, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', false, $7, NULL, $8::jsonb, $9::jsonb, $10::timestamptz)
         ON CONFLICT (task_id) DO NOTHING`,
        [d.taskId, caseId, d.stepId, attempt, d.stepType, d.queue,
          `step '${d.stepId}' ran out of attempts (${d.attempts}): ${d.error.name}: ${d.error.message}; retry it or skip it with an output`,
          json(d.input), json({ error: d.error, attempts: d.attempts }), iso(d.requestedAt)],
      );
      return;
    }
    case 'ExhaustedStepResolved': {
      const d = e.data;
      await tx.query(
        `UPDATE human_tasks SET status = 'decided', decision = $2, decided_output = $3::jsonb, reviewer = $4, decided_by = 'operator', decided_at = $5::timestamptz
         WHERE task_id = $1`,
        [d.taskId, d.action, json(d.output), d.principal ?? null, iso(d.at)],
      );
      return;
    }
    case 'StepAbandoned':
      await tx.query(`UPDATE human_tasks SET status = 'withdrawn' WHERE case_id = $1 AND step_id = $2 AND queue = 'operators' AND status = 'open'`, [caseId, e.data.stepId]);
      return;
  }
}
