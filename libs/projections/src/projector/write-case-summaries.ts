import type { Tx } from '@baton/event-store';
import { mapSummary, type CaseState } from '@baton/workflow-engine';
import type { CaseFold } from './case-folds';
import { iso } from './sql-values';

const IN_FLIGHT = new Set(['running', 'retry-wait', 'awaiting-review']);

/** The `case_summary` row of a folded case, or `null` before its `CaseStarted`. @internal */
export function caseSummaryRow(caseId: string, fold: CaseFold): Record<string, unknown> | null {
  const s: CaseState = fold.state;
  if (s.status === 'new' || s.startedAt === null) return null;
  const steps = Object.values(s.steps);
  return {
    case_id: caseId,
    workflow: s.workflow,
    workflow_version: s.workflowVersion,
    status: s.status,
    case_key: s.key ?? null,
    triggered_by: s.triggeredBy ?? null,
    started_at: iso(s.startedAt),
    finished_at: iso(s.finishedAt),
    duration_ms: s.finishedAt === null ? null : s.finishedAt - s.startedAt,
    steps_in_flight: steps.filter((st) => IN_FLIGHT.has(st.status)).map((st) => st.stepId),
    steps: Object.fromEntries(steps.map((st) => {
      const items = mapSummary(st);
      return [st.stepId, { status: st.status, attempt: st.attempt, stepType: st.stepType ?? null, ...(items && { items }) }];
    })),
    failure: s.failure,
    cancellation: s.cancellation,
    output: s.output,
    sla_due_at: iso(s.slaDueAt),
    sla_breached: s.slaBreached,
    event_count: fold.position,
    last_event_at: iso(fold.lastEventAt),
    updated_position: fold.lastGlobalPosition,
    parent_case_id: s.parent?.caseId ?? null,
    children: s.children ?? [],
  };
}

/** Upserts the summaries of the cases a batch touched, in one statement. @internal */
export async function writeCaseSummaries(tx: Tx, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO case_summary (case_id, workflow, workflow_version, status, case_key, triggered_by, started_at, finished_at, duration_ms,
       steps_in_flight, steps, failure, cancellation, output, sla_due_at, sla_breached, event_count, last_event_at, updated_position,
       parent_case_id, children)
     SELECT case_id, workflow, workflow_version, status, case_key, triggered_by, started_at, finished_at, duration_ms,
       ARRAY(SELECT jsonb_array_elements_text(steps_in_flight)), steps, failure, cancellation, output, sla_due_at, sla_breached,
       event_count, last_event_at, updated_position, parent_case_id, children
     FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, workflow text, workflow_version integer, status text, case_key text,
       triggered_by text, started_at timestamptz, finished_at timestamptz, duration_ms bigint, steps_in_flight jsonb, steps jsonb,
       failure jsonb, cancellation jsonb, output jsonb, sla_due_at timestamptz, sla_breached boolean, event_count integer,
       last_event_at timestamptz, updated_position bigint, parent_case_id text, children jsonb)
     ON CONFLICT (case_id) DO UPDATE SET
       workflow = excluded.workflow, workflow_version = excluded.workflow_version, status = excluded.status, case_key = excluded.case_key,
       triggered_by = excluded.triggered_by, started_at = excluded.started_at, finished_at = excluded.finished_at,
       duration_ms = excluded.duration_ms, steps_in_flight = excluded.steps_in_flight, steps = excluded.steps, failure = excluded.failure,
       cancellation = excluded.cancellation, output = excluded.output, sla_due_at = excluded.sla_due_at,
       sla_breached = excluded.sla_breached, event_count = excluded.event_count, last_event_at = excluded.last_event_at,
       updated_position = excluded.updated_position, parent_case_id = excluded.parent_case_id, children = excluded.children`,
    [JSON.stringify(rows)],
  );
}
