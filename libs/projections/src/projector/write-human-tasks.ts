import type { Tx } from '@baton/event-store';
import type { CaseEvent } from '@baton/workflow-engine';
import { iso, json } from './sql-values';
import { writeOperatorTask } from './write-operator-tasks';

/**
 * Writes the review events to `human_tasks` (one row per task, keyed by `task_id`): a request
 * opens the task with the output under review and the reviewer's full context; a decision,
 * an escalation or a withdrawal updates it. Idempotent per event; other events are ignored.
 * @internal
 */
export async function writeHumanTask(tx: Tx, caseId: string, e: CaseEvent): Promise<void> {
  switch (e.type) {
    case 'ReviewRequested': {
      const d = e.data;
      await tx.query(
        `INSERT INTO human_tasks (task_id, case_id, step_id, attempt, step_type, queue, status, escalated, reason, output, input, context,
           requested_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', false, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::timestamptz, $12::timestamptz)
         ON CONFLICT (task_id) DO UPDATE SET
           case_id = excluded.case_id, step_id = excluded.step_id, attempt = excluded.attempt, step_type = excluded.step_type,
           queue = excluded.queue, status = 'open', escalated = false, reason = excluded.reason, output = excluded.output,
           input = excluded.input, context = excluded.context, requested_at = excluded.requested_at, due_at = excluded.due_at,
           decision = NULL, decided_output = NULL, reviewer = NULL, comment = NULL, decided_by = NULL, decided_at = NULL`,
        [d.taskId, caseId, d.stepId, d.attempt, d.stepType, d.queue, d.reason, json(d.output), json(d.input),
          json(d.context), iso(d.requestedAt), iso(d.dueAt)],
      );
      return;
    }
    case 'ReviewDecided': {
      const d = e.data;
      await tx.query(
        `UPDATE human_tasks SET status = 'decided', decision = $2, decided_output = $3::jsonb, reviewer = $4, comment = $5,
           decided_by = $6, decided_at = $7::timestamptz
         WHERE task_id = $1`,
        [d.taskId, d.decision, json(d.output), d.reviewer ?? null, d.comment ?? null, d.decidedBy, iso(d.decidedAt)],
      );
      return;
    }
    case 'ReviewEscalated':
      await tx.query('UPDATE human_tasks SET queue = $2, escalated = true WHERE task_id = $1', [e.data.taskId, e.data.queue]);
      return;
    case 'ReviewWithdrawn':
      await tx.query(`UPDATE human_tasks SET status = 'withdrawn' WHERE task_id = $1`, [e.data.taskId]);
      return;
    case 'StepAwaitingOperator':
    case 'ExhaustedStepResolved':
    case 'StepAbandoned':
      return writeOperatorTask(tx, caseId, e);
    default:
      return;
  }
}
