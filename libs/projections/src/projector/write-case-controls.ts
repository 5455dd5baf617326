import type { Tx } from '@baton/event-store';
import { formatMicros, type CaseState } from '@baton/workflow-engine';
import type { CaseControlsView } from '../queries/views';
import type { CaseFold } from './case-folds';
import { iso } from './sql-values';

/**
 * The `controls` of a case summary and of its trace: pause, deadline, budget marks, resets and
 * usage, times ISO-8601, the cost both as integer micro-dollars and as a 6-decimal string.
 */
export function caseControlsView(s: Pick<CaseState, 'controls'>): CaseControlsView {
  const c = s.controls;
  return {
    paused: c.paused === null ? null : { by: c.paused.by, reason: c.paused.reason ?? null, at: iso(c.paused.at)! },
    deadlineAt: iso(c.deadlineAt), timedOut: c.timedOut, budgetExceeded: c.budgetExceeded, resets: c.resets,
    usage: { ...c.usage, cost: formatMicros(c.usage.costMicros) },
  };
}

/** Sets `case_summary.controls` of the cases a batch touched (after their summaries are written), in one statement. @internal */
export async function writeCaseControls(tx: Tx, folds: ReadonlyMap<string, CaseFold>): Promise<void> {
  const rows = [...folds].filter(([, f]) => f.state.status !== 'new').map(([caseId, f]) => ({ case_id: caseId, controls: caseControlsView(f.state) }));
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE case_summary AS c SET controls = x.controls
     FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, controls jsonb) WHERE c.case_id = x.case_id`,
    [JSON.stringify(rows)],
  );
}
