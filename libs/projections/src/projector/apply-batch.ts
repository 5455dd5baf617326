import type { EventStore, RecordedEvent, Tx } from '@baton/event-store';
import { evolve, initialState, upcast } from '@baton/workflow-engine';
import type { CaseFold, CaseFoldCache } from './case-folds';
import { eventTime, isCaseEventType } from './event-time';
import { StepExecutionWrites } from './write-step-executions';
import { writeHumanTask } from './write-human-tasks';
import { writeCaseTenant } from './write-case-tenants';
import { timelineRow, writeTimeline, type TimelineRow } from './write-timeline';
import { caseSummaryRow, writeCaseSummaries } from './write-case-summaries';
import { writeCaseControls } from './write-case-controls';

/**
 * Applies a page of events (in commit order) to the four tables inside `tx`, and returns the
 * folds of the cases it touched (for the cache, once `tx` has committed).
 *
 * Each case's rows always reflect exactly its stream positions 1..n, applied in stream order:
 * an event at or below the position already applied changes nothing (idempotent); an event
 * past `n + 1` first applies the missing positions from the stream. Commit order across
 * transactions normally delivers a case's events in stream order; this also covers the rare
 * transaction that took its xid before another appended to the same case, so rows never
 * depend on the order of delivery, and a rebuild equals the live tables.
 * @internal
 */
export async function applyBatch(tx: Tx, store: EventStore, events: readonly RecordedEvent[], cache: CaseFoldCache): Promise<Map<string, CaseFold>> {
  const touched = new Map<string, CaseFold>();
  const timeline: TimelineRow[] = [];
  const executions = new StepExecutionWrites();

  const applyOne = (caseId: string, fold: CaseFold, recorded: RecordedEvent) => applyEvent(tx, caseId, fold, recorded, executions, timeline);

  // For the cases the cache does not know: the position the tables reflect, then (for those whose
  // first event in the page is past it) their earlier events, each in one query for the page.
  const unknown = [...new Set(events.map((e) => e.streamId))].filter((id) => cache.get(id) === undefined);
  const projected = await projectedVersions(tx, unknown);
  const firstInPage = new Map<string, number>();
  for (const e of events) if (!firstInPage.has(e.streamId)) firstInPage.set(e.streamId, e.streamPosition);
  const histories = await store.readStreams(tx, new Map(unknown.filter((id) => firstInPage.get(id)! > 1).map((id) => [id, 1])));
  for (const recorded of events) {
    const caseId = recorded.streamId;
    const p = recorded.streamPosition;
    let fold = touched.get(caseId) ?? cache.get(caseId);
    let gap: RecordedEvent[];
    if (fold === undefined) {
      const applied = projected.get(caseId) ?? 0;
      if (p <= applied) continue;
      const history = p > 1 ? (histories.get(caseId) ?? await store.readStream(caseId, { tx })).filter((e) => e.streamPosition < p) : [];
      fold = foldQuietly(history.slice(0, applied));
      gap = history.slice(applied);
    } else {
      if (p <= fold.position) continue;
      gap = p > fold.position + 1 ? await store.readStream(caseId, { tx, fromPosition: fold.position + 1, limit: p - 1 - fold.position }) : [];
    }
    for (const missing of gap) fold = await applyOne(caseId, fold, missing);
    fold = await applyOne(caseId, fold, recorded);
    touched.set(caseId, fold);
  }

  await executions.flush(tx);
  await writeTimeline(tx, timeline);
  const summaries = [...touched].map(([caseId, fold]) => caseSummaryRow(caseId, fold)).filter((r) => r !== null);
  await writeCaseSummaries(tx, summaries);
  await writeCaseControls(tx, touched);
  return touched;
}

/**
 * One event of a case (in its stream order) applied to the projections: upcast, its step-execution
 * change queued in `executions`, its human task and tenant rows written, its timeline row queued,
 * and the case's fold advanced. Shared by the live projector and the rebuild, so their rows agree.
 * @internal
 */
export async function applyEvent(tx: Tx, caseId: string, fold: CaseFold, recorded: RecordedEvent, executions: StepExecutionWrites, timeline: TimelineRow[]): Promise<CaseFold> {
  if (!isCaseEventType(recorded.type)) return { ...fold, position: recorded.streamPosition };
  const event = upcast(recorded);
  const own = eventTime(event);
  const at = Number.isFinite(own) ? own : recorded.recordedAt.getTime();
  executions.add(caseId, event);
  await writeHumanTask(tx, caseId, event);
  await writeCaseTenant(tx, caseId, event);
  timeline.push(timelineRow(caseId, recorded, event, at, fold.state));
  return { state: evolve(fold.state, event), position: recorded.streamPosition, lastEventAt: at, lastGlobalPosition: recorded.globalPosition };
}

/** The stream positions the tables reflect for these cases (`case_summary.event_count`); a case missing has none (0). */
async function projectedVersions(tx: Tx, caseIds: readonly string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const { rows } = await tx.query<{ case_id: string; event_count: number }>('SELECT case_id, event_count FROM case_summary WHERE case_id = ANY($1::text[])', [caseIds]);
  return new Map(rows.map((r) => [r.case_id, r.event_count]));
}

/** Folds events already applied to the tables, writing nothing. */
function foldQuietly(history: readonly RecordedEvent[]): CaseFold {
  let fold: CaseFold = { state: initialState(), position: 0, lastEventAt: 0, lastGlobalPosition: 0 };
  for (const recorded of history) {
    if (!isCaseEventType(recorded.type)) { fold = { ...fold, position: recorded.streamPosition }; continue; }
    const event = upcast(recorded);
    const own = eventTime(event);
    fold = {
      state: evolve(fold.state, event), position: recorded.streamPosition,
      lastEventAt: Number.isFinite(own) ? own : recorded.recordedAt.getTime(), lastGlobalPosition: recorded.globalPosition,
    };
  }
  return fold;
}
