import type { Checkpoint, EventStore, RecordedEvent, Tx } from '@baton/event-store';
import { initialState } from '@baton/workflow-engine';
import { applyEvent } from './apply-batch';
import type { CaseFold } from './case-folds';
import { StepExecutionWrites } from './write-step-executions';
import { writeCaseControls } from './write-case-controls';
import { writeTimeline, type TimelineRow } from './write-timeline';
import { caseSummaryRow, writeCaseSummaries } from './write-case-summaries';

/** Rows per INSERT statement of a rebuild. */
const CHUNK = 5000;

/**
 * The bulk phase of `rebuildProjections`, inside the caller's transaction (which holds the
 * projector's advisory lock and has emptied the tables): reads every readable event in commit
 * order, `pageSize` at a time (each upcast to today's shape), folds every case in memory in stream
 * order, and writes with the live projector's own writers, so the rows are the live ones by
 * construction: the timeline and the step executions (map items included) after each page, human
 * tasks (reviews and operator tasks) and case tenants per event, the case summaries and their
 * controls once at the end (one row each, final). Then stores the checkpoint of the last event
 * read, so the live projector goes on from there.
 *
 * Reading stops at the first short page. Events the page could not yet see (transactions that
 * took their xid after this transaction's first write, or an older one still open) come after
 * the checkpoint and are applied by the caller's catch-up.
 * @param onPage - after each page: events folded so far
 * @returns how many events it folded
 * @internal
 */
export async function bulkRebuild(tx: Tx, store: EventStore, name: string, pageSize: number, onPage: (folded: number) => void): Promise<number> {
  const folds = new Map<string, CaseFold>();
  let executions = new StepExecutionWrites();
  let timeline: TimelineRow[] = [];
  let after: Checkpoint | null = null;
  let folded = 0;

  const applyOne = (caseId: string, fold: CaseFold, recorded: RecordedEvent) => applyEvent(tx, caseId, fold, recorded, executions, timeline);

  for (;;) {
    const page = await store.readAll({ after, limit: pageSize });
    for (const recorded of page.events) {
      const caseId = recorded.streamId;
      let fold = folds.get(caseId) ?? { state: initialState(), position: 0, lastEventAt: 0, lastGlobalPosition: 0 };
      const p = recorded.streamPosition;
      if (p <= fold.position) continue; // read already, from the stream, to fill a gap
      // Commit order can put an event before an earlier one of its stream (applyBatch explains): fill the gap from the stream.
      const gap = p > fold.position + 1 ? await store.readStream(caseId, { tx, fromPosition: fold.position + 1, limit: p - 1 - fold.position }) : [];
      for (const missing of gap) fold = await applyOne(caseId, fold, missing);
      folds.set(caseId, await applyOne(caseId, fold, recorded));
    }
    await executions.flush(tx);
    executions = new StepExecutionWrites();
    folded += page.events.length;
    after = page.checkpoint;
    if (timeline.length >= CHUNK || page.events.length < pageSize) {
      for (let i = 0; i < timeline.length; i += CHUNK) await writeTimeline(tx, timeline.slice(i, i + CHUNK));
      timeline = [];
    }
    if (page.events.length > 0) onPage(folded);
    if (page.events.length < pageSize) break;
  }

  const summaries = [...folds].map(([caseId, fold]) => caseSummaryRow(caseId, fold)).filter((r) => r !== null);
  for (let i = 0; i < summaries.length; i += CHUNK) await writeCaseSummaries(tx, summaries.slice(i, i + CHUNK));
  const all = [...folds];
  for (let i = 0; i < all.length; i += CHUNK) await writeCaseControls(tx, new Map(all.slice(i, i + CHUNK)));
  if (after) await store.storeCheckpoint(tx, name, after);
  return folded;
}
