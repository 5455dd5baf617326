import type { EventStore } from '@baton/event-store';
import { evolve, initialState, upcast, type CaseState } from '@baton/workflow-engine';
import type { ProjectionQueries } from '../queries/projection-queries';
import type { CaseSummary } from '../queries/views';

/** One field where the stored projection and today's fold of the events disagree. */
export interface ReplayDifference {
  /** Dotted path: `status`, `finishedAt`, `steps.<id>.status`, `steps.<id>.attempt`, `steps.<id>` (missing on one side). */
  path: string;
  /** What the projection (`case_summary`) holds; `null` where it has nothing. */
  stored: unknown;
  /** What folding the stored events with today's `evolve` gives. */
  replayed: unknown;
}

/** The result of replaying one case. */
export interface CaseReplay {
  caseId: string;
  /** Events folded. */
  events: number;
  /** The state today's decider gives. */
  state: CaseState;
  /** Empty when the projection agrees with the fold. */
  differences: ReplayDifference[];
}

/**
 * Re-folds a case's stored events with today's `evolve` (`@baton/workflow-engine`) and compares
 * the result with the stored projection (`case_summary`): workflow and version, status, finish
 * time, and each step's status and attempt. A difference means the decider's reading of history
 * changed since the projection was written (a behaviour change to review before it ships), or the
 * projection is behind or damaged (`projections rebuild`).
 * @throws Error naming the case when it has no events
 */
export async function replayCase(store: EventStore, queries: ProjectionQueries, caseId: string): Promise<CaseReplay> {
  const recorded = await store.readStream(caseId);
  if (recorded.length === 0) throw new Error(`case ${caseId} has no events`);
  const state = recorded.reduce((s, e) => evolve(s, upcast(e)), initialState());
  const stored = (await queries.getCase(caseId))?.summary ?? null;
  return { caseId, events: recorded.length, state, differences: compare(stored, state) };
}

/**
 * Replays every case with an event recorded in `[from, to)` (epoch ms or `Date`), oldest first, up
 * to `limit` cases (default 1 000); with `tenant`, only that tenant's cases.
 */
export async function replayRange(store: EventStore, queries: ProjectionQueries, range: { from: Date | number; to: Date | number; limit?: number; tenant?: string }): Promise<CaseReplay[]> {
  const { rows } = await store.pool.query<{ stream_id: string }>(
    `SELECT stream_id FROM events WHERE recorded_at >= $1 AND recorded_at < $2
        AND ($4::text IS NULL OR COALESCE((SELECT ct.tenant FROM case_tenants ct WHERE ct.case_id = events.stream_id), 'default') = $4)
      GROUP BY stream_id ORDER BY min(global_position) LIMIT $3`,
    [new Date(range.from), new Date(range.to), range.limit ?? 1000, range.tenant ?? null],
  );
  const out: CaseReplay[] = [];
  for (const r of rows) out.push(await replayCase(store, queries, r.stream_id));
  return out;
}

function compare(stored: CaseSummary | null, state: CaseState): ReplayDifference[] {
  if (!stored) return [{ path: '(case)', stored: null, replayed: state.status }];
  const diffs: ReplayDifference[] = [];
  const check = (path: string, a: unknown, b: unknown) => { if (a !== b) diffs.push({ path, stored: a, replayed: b }); };
  check('workflow', stored.workflow, state.workflow);
  check('workflowVersion', stored.workflowVersion, state.workflowVersion);
  check('status', stored.status, state.status);
  check('finishedAt', stored.finishedAt === null ? null : Date.parse(stored.finishedAt), state.finishedAt);
  for (const id of [...new Set([...Object.keys(stored.steps), ...Object.keys(state.steps)])].sort()) {
    const a = stored.steps[id];
    const b = state.steps[id];
    if (!a || !b) { diffs.push({ path: `steps.${id}`, stored: a?.status ?? null, replayed: b?.status ?? null }); continue; }
    check(`steps.${id}.status`, a.status, b.status);
    check(`steps.${id}.attempt`, a.attempt, b.attempt);
  }
  return diffs;
}
