import type { Tx } from '@baton/event-store';
import { COMPENSATION_PREFIX, ENGINE_ERROR_NAMES, type CaseEvent } from '@baton/workflow-engine';
import { iso, json, msSinceScheduled } from './sql-values';

const SCHEDULE = `
INSERT INTO step_executions (case_id, step_id, attempt, step_type, status, input, scheduled_at, deadline)
VALUES ($1, $2, $3, $4, 'running', $5::jsonb, $6::timestamptz, $7::timestamptz)
ON CONFLICT (case_id, step_id, attempt) DO UPDATE SET
  step_type = excluded.step_type, status = 'running', input = excluded.input, output = NULL, error = NULL,
  scheduled_at = excluded.scheduled_at, deadline = excluded.deadline, finished_at = NULL, duration_ms = NULL,
  model = NULL, model_version = NULL, input_tokens = NULL, output_tokens = NULL, cost_usd = NULL`;

const FINISH_WITH_ERROR = `
UPDATE step_executions SET status = $4, error = $5::jsonb, finished_at = $6::timestamptz, duration_ms = ${msSinceScheduled('$6')}
WHERE case_id = $1 AND step_id = $2 AND attempt = $3`;

/**
 * Writes what `e` says about one attempt of a step (or of a compensation, step id
 * `compensate:<stepId>`) to `step_executions`: one row per attempt, keyed
 * `(case_id, step_id, attempt)`. Upserts and keyed updates only, so applying an event again
 * changes nothing. Events about no attempt are ignored.
 * @internal
 */
export async function writeStepExecution(tx: Tx, caseId: string, e: CaseEvent): Promise<void> {
  switch (e.type) {
    case 'StepScheduled': {
      const d = e.data;
      await tx.query(SCHEDULE, [caseId, d.stepId, d.attempt, d.stepType, json(d.input), iso(d.scheduledAt), iso(d.deadline)]);
      return;
    }
    case 'CompensationScheduled': {
      const d = e.data;
      await tx.query(SCHEDULE, [caseId, d.compensationStepId, d.attempt, d.stepType, json(d.input), iso(d.scheduledAt), iso(d.deadline)]);
      return;
    }
    case 'StepDeadlineExtended':
      await tx.query('UPDATE step_executions SET deadline = $4::timestamptz WHERE case_id = $1 AND step_id = $2 AND attempt = $3',
        [caseId, e.data.stepId, e.data.attempt, iso(e.data.deadline)]);
      return;
    case 'StepCompleted': {
      const d = e.data;
      const m = d.metering as (typeof d.metering & { modelVersion?: string }) | undefined;
      await tx.query(
        `UPDATE step_executions SET status = 'completed', output = $4::jsonb, error = NULL, finished_at = $5::timestamptz, duration_ms = $6,
           model = $7, model_version = $8, input_tokens = $9, output_tokens = $10, cost_usd = $11
         WHERE case_id = $1 AND step_id = $2 AND attempt = $3`,
        [caseId, d.stepId, d.attempt, json(d.output), iso(d.completedAt), d.durationMs,
          m?.model ?? null, m?.modelVersion ?? null, m?.inputTokens ?? null, m?.outputTokens ?? null, m?.costUsd ?? null],
      );
      return;
    }
    case 'StepAttemptFailed':
      await tx.query(FINISH_WITH_ERROR, [caseId, e.data.stepId, e.data.attempt, 'failed', json(e.data.error), iso(e.data.failedAt)]);
      return;
    case 'StepTimedOut':
      await tx.query(FINISH_WITH_ERROR, [caseId, e.data.stepId, e.data.attempt, 'timed-out', json(e.data.error), iso(e.data.timedOutAt)]);
      return;
    case 'StepAbandoned':
      // As `evolve` does: every running attempt of the step is given up (a pending retry has no row yet).
      await tx.query(
        `UPDATE step_executions SET status = 'abandoned', finished_at = $3::timestamptz, duration_ms = ${msSinceScheduled('$3')}
         WHERE case_id = $1 AND step_id = $2 AND status = 'running'`,
        [caseId, e.data.stepId, iso(e.data.at)],
      );
      return;
    case 'CompensationCompleted': {
      const d = e.data;
      await tx.query(
        `UPDATE step_executions SET status = 'completed', output = $4::jsonb, error = NULL, finished_at = $5::timestamptz,
           duration_ms = ${msSinceScheduled('$5')}
         WHERE case_id = $1 AND step_id = $2 AND attempt = $3`,
        [caseId, `${COMPENSATION_PREFIX}${d.stepId}`, d.attempt, json(d.output), iso(d.completedAt)],
      );
      return;
    }
    case 'CompensationFailed': {
      const d = e.data;
      const status = d.error.name === ENGINE_ERROR_NAMES.timeout ? 'timed-out' : 'failed';
      await tx.query(FINISH_WITH_ERROR, [caseId, `${COMPENSATION_PREFIX}${d.stepId}`, d.attempt, status, json(d.error), iso(d.failedAt)]);
      return;
    }
    default:
      return;
  }
}
