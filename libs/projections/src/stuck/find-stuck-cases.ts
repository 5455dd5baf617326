import type { EventStore } from '@baton/event-store';
import { diagnoseStuck, evolve, initialState, upcast, type CaseState, type CaseStatus } from '@baton/workflow-engine';
import { tenantCondition } from '../projector/write-case-tenants';

/** A running case that nothing will wake, from {@link findStuckCases}. */
export interface StuckCase {
  caseId: string;
  workflow: string;
  workflowVersion: number;
  status: CaseStatus;
  /** Type and recording time (ISO-8601) of the case's last event. */
  lastEvent: { type: string; recordedAt: string } | null;
  /** One sentence per problem, naming the step, attempt or task. */
  reasons: string[];
  /** Timers the events say must be pending and are not: what `RepairCase` sets again. */
  missingTimers: { timerId: string; kind: string; stepId?: string; attempt?: number; dueAt: string }[];
  /** True when nothing at all is pending: a repair schedules the ready steps. */
  nothingPending: boolean;
  /** What an operator runs to repair it. */
  repair: string;
}

/** Options of {@link findStuckCases}. */
export interface FindStuckOptions {
  /** Only these cases (each is checked even if the projection has not seen it yet). */
  caseIds?: readonly string[];
  /** Only cases of this workflow. */
  workflow?: string;
  /** Only cases of this tenant (ignored with `caseIds`). */
  tenant?: string;
  /** Open cases examined at most, oldest start first; default 10 000. */
  scanLimit?: number;
  /** Cases read and judged per transaction; default 200. */
  batchSize?: number;
}

const OPEN: readonly CaseStatus[] = ['running', 'awaiting-review', 'compensating'];

/**
 * Finds running cases that nothing will wake: a timer their events say must be pending is gone
 * (a retry, an attempt or review timeout, a compensation's timeout), or nothing at all is in
 * flight. Candidates are the open cases of the case-summary projection (or `caseIds`); each is
 * judged from its own events and its pending timers, read in ONE repeatable-read snapshot per
 * batch, so a transaction that commits an event and its timer together is never half seen. The
 * projection only picks candidates: a case it has not caught up with is judged by its events.
 *
 * @returns the stuck cases, oldest start first
 * @throws database errors
 */
export async function findStuckCases(store: EventStore, options: FindStuckOptions = {}): Promise<StuckCase[]> {
  const ids = options.caseIds ?? (await openCases(store, options));
  const size = options.batchSize ?? 200;
  const stuck: StuckCase[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size);
    stuck.push(...(await store.withTransaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const timers = await store.timersOf(batch, tx);
      const found: StuckCase[] = [];
      for (const caseId of batch) {
        const events = await store.readStream(caseId, { tx });
        const state = events.reduce((s, e) => evolve(s, upcast(e)), initialState() as CaseState);
        const pending = new Set(timers.filter((t) => t.streamId === caseId).map((t) => t.timerId));
        const diagnosis = diagnoseStuck(state, pending);
        if (!diagnosis) continue;
        const last = events[events.length - 1];
        found.push({
          caseId, workflow: state.workflow!, workflowVersion: state.workflowVersion!, status: state.status,
          lastEvent: last ? { type: last.type, recordedAt: last.recordedAt.toISOString() } : null,
          reasons: [...diagnosis.reasons],
          missingTimers: diagnosis.missingTimers.map((t) => ({
            timerId: t.timerId, kind: t.kind, ...(t.stepId !== undefined && { stepId: t.stepId }), ...(t.attempt !== undefined && { attempt: t.attempt }),
            dueAt: new Date(t.dueAt).toISOString(),
          })),
          nothingPending: diagnosis.nothingPending,
          repair: `baton case ${caseId} --repair`,
        });
      }
      return found;
    })));
  }
  return stuck;
}

async function openCases(store: EventStore, options: FindStuckOptions): Promise<string[]> {
  const { rows } = await store.pool.query<{ case_id: string }>(
    `SELECT case_id FROM case_summary WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR workflow = $2)
       AND ($4::text IS NULL OR ${tenantCondition('case_summary', 4)})
     ORDER BY started_at, case_id LIMIT $3`,
    [OPEN, options.workflow ?? null, options.scanLimit ?? 10_000, options.tenant ?? null],
  );
  return rows.map((r) => r.case_id);
}
