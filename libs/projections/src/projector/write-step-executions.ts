import type { Tx } from '@baton/event-store';
import { attemptChange, type CaseEvent } from '@baton/workflow-engine';
import { iso, json } from './sql-values';

const MS_SINCE_SCHEDULED = (param: string) => `round(extract(epoch FROM (${param} - s.scheduled_at)) * 1000)::bigint`;

const SCHEDULE = `
INSERT INTO step_executions (case_id, step_id, attempt, step_type, status, input, scheduled_at, deadline)
SELECT v.case_id, v.step_id, v.attempt, v.step_type, 'running', v.input::jsonb, v.scheduled_at, v.deadline
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
  AS v(case_id, step_id, attempt, step_type, input, scheduled_at, deadline)
ON CONFLICT (case_id, step_id, attempt) DO UPDATE SET
  step_type = excluded.step_type, status = 'running', input = excluded.input, output = NULL, error = NULL,
  scheduled_at = excluded.scheduled_at, deadline = excluded.deadline, finished_at = NULL, duration_ms = NULL,
  model = NULL, model_version = NULL, input_tokens = NULL, output_tokens = NULL, cost_usd = NULL`;

const EXTEND = `
UPDATE step_executions s SET deadline = v.deadline
FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[]) AS v(case_id, step_id, attempt, deadline)
WHERE s.case_id = ANY($1::text[]) AND s.case_id = v.case_id AND s.step_id = v.step_id AND s.attempt = v.attempt`;

// A step's completion carries its duration and metering; a compensation's is measured from the row.
const COMPLETE = `
UPDATE step_executions s SET status = 'completed', output = v.output::jsonb, error = NULL, finished_at = v.finished_at,
  duration_ms = coalesce(v.duration_ms, ${MS_SINCE_SCHEDULED('v.finished_at')}),
  model = v.model, model_version = v.model_version, input_tokens = v.input_tokens, output_tokens = v.output_tokens, cost_usd = v.cost_usd
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::bigint[], $7::text[], $8::text[], $9::int[], $10::int[], $11::float8[])
  AS v(case_id, step_id, attempt, output, finished_at, duration_ms, model, model_version, input_tokens, output_tokens, cost_usd)
WHERE s.case_id = ANY($1::text[]) AND s.case_id = v.case_id AND s.step_id = v.step_id AND s.attempt = v.attempt`;

const FINISH_WITH_ERROR = `
UPDATE step_executions s SET status = v.status, error = v.error::jsonb, finished_at = v.finished_at, duration_ms = ${MS_SINCE_SCHEDULED('v.finished_at')}
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[]) AS v(case_id, step_id, attempt, status, error, finished_at)
WHERE s.case_id = ANY($1::text[]) AND s.case_id = v.case_id AND s.step_id = v.step_id AND s.attempt = v.attempt`;

const ABANDON = `
UPDATE step_executions s SET status = 'abandoned', finished_at = v.finished_at, duration_ms = ${MS_SINCE_SCHEDULED('v.finished_at')}
FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[]) AS v(case_id, step_id, attempt, finished_at)
WHERE s.case_id = ANY($1::text[]) AND s.case_id = v.case_id AND s.step_id = v.step_id AND s.attempt = v.attempt AND s.status = 'running'`;

// A map step that failed or was abandoned gives up its items still running (their rows are `<stepId>#<index>`).
const ABANDON_ITEMS = `
UPDATE step_executions s SET status = 'abandoned', finished_at = v.finished_at, duration_ms = ${MS_SINCE_SCHEDULED('v.finished_at')}
FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS v(case_id, step_id, finished_at)
WHERE s.case_id = ANY($1::text[]) AND s.case_id = v.case_id AND s.step_id LIKE v.step_id || '#%' AND s.status = 'running'`;

type Row = unknown[];

// Each update joins the page's rows to the table by its key; `case_id = ANY($1)` lets the planner
// reach the rows through the primary key instead of hashing the whole table.

/**
 * What a page of events says about step attempts (and compensation attempts, step id
 * `compensate:<stepId>`), gathered and then written to `step_executions` (one row per attempt,
 * keyed `(case_id, step_id, attempt)`) in one statement per kind of change, instead of one per
 * event. Upserts and keyed updates only, so applying an event again changes nothing.
 *
 * The statements run in lifecycle order (schedule, deadline extensions, completions, failures and
 * time-outs, abandonments), which for every row is its events' order: an attempt is scheduled
 * once, may be extended while running, and ends once (the decider drops results of an attempt that
 * is not running). For a row given twice by one kind, the later event wins.
 * @internal
 */
export class StepExecutionWrites {
  private readonly schedule = new Map<string, Row>();
  private readonly extend = new Map<string, Row>();
  private readonly complete = new Map<string, Row>();
  private readonly fail = new Map<string, Row>();
  private readonly abandon = new Map<string, Row>();
  private readonly abandonItems = new Map<string, Row>();

  /** Takes one event of `caseId`; events about no attempt are ignored. The engine's `attemptChange` reads it. */
  add(caseId: string, e: CaseEvent): void {
    if (e.type === 'StepFailed' || e.type === 'StepAbandoned') {
      const at = e.type === 'StepFailed' ? e.data.failedAt : e.data.at;
      this.abandonItems.set(`${caseId}\u0001${e.data.stepId}`, [caseId, e.data.stepId, iso(at)]);
    }
    const c = attemptChange(e);
    if (!c) return;
    const key = `${caseId}\u0001${c.stepId}\u0001${c.attempt}`;
    const id = [caseId, c.stepId, c.attempt];
    switch (c.kind) {
      case 'scheduled':
        this.schedule.set(key, [...id, c.stepType, json(c.input), iso(c.scheduledAt), iso(c.deadline)]);
        return;
      case 'extended':
        this.extend.set(key, [...id, iso(c.deadline)]);
        return;
      case 'completed': {
        const m = c.metering;
        this.complete.set(key, [...id, json(c.output), iso(c.finishedAt), c.durationMs ?? null,
          m?.model ?? null, m?.modelVersion ?? null, m?.inputTokens ?? null, m?.outputTokens ?? null, m?.costUsd ?? null]);
        return;
      }
      case 'failed':
      case 'timed-out':
        this.fail.set(key, [...id, c.kind, json(c.error), iso(c.finishedAt)]);
        return;
      case 'abandoned':
        this.abandon.set(key, [...id, iso(c.finishedAt)]);
        return;
    }
  }

  /** Writes what was added, inside `tx`. */
  async flush(tx: Tx): Promise<void> {
    for (const [sql, rows] of [[SCHEDULE, this.schedule], [EXTEND, this.extend], [COMPLETE, this.complete], [FINISH_WITH_ERROR, this.fail], [ABANDON, this.abandon], [ABANDON_ITEMS, this.abandonItems]] as const) {
      if (rows.size === 0) continue;
      const list = [...rows.values()];
      await tx.query(sql, list[0]!.map((_, i) => list.map((r) => r[i])));
    }
  }
}
