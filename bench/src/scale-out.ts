import type { Pool } from 'pg';

/** One event as the scale-out check reads it: its case, position in the case's stream, and the instance that decided it. */
export interface WriterRow { caseId: string; position: number; writer: string | null }

/** A case whose events show two orchestrator instances writing it in turns (A, B, A): handled by both at once. */
export interface Interleaving { caseId: string; writers: string[] }

/** What the scale-out check found over a set of cases. */
export interface DoubleHandlingCheck {
  cases: number;
  events: number;
  /** Events per writer instance (`metadata.writer`); `unknown` for events without one. */
  eventsByWriter: Record<string, number>;
  /** Cases whose events were written by more than one instance, one after the other (a hand-over, e.g. trigger and results consumed by different members). */
  handedOver: number;
  /** Cases an instance wrote again after another had written them: none may exist. */
  interleaved: Interleaving[];
  /** Cases with events that name no writer (the check cannot judge them). */
  unattributed: number;
}

/**
 * Judges, per case, whether two orchestrator instances handled it at once, from the writer each
 * event names: the case's events in stream order, adjacent events of one writer merged into
 * runs. One run (one instance) or a hand-over (A then B) is sound; a writer that comes back after
 * another wrote (A, B, A) means both held the case at the same time. Pure: no I/O.
 */
export function checkDoubleHandling(rows: readonly WriterRow[]): DoubleHandlingCheck {
  const byCase = new Map<string, WriterRow[]>();
  const eventsByWriter: Record<string, number> = {};
  for (const r of rows) {
    const list = byCase.get(r.caseId) ?? [];
    list.push(r);
    byCase.set(r.caseId, list);
    const w = r.writer ?? 'unknown';
    eventsByWriter[w] = (eventsByWriter[w] ?? 0) + 1;
  }
  const interleaved: Interleaving[] = [];
  let handedOver = 0;
  let unattributed = 0;
  for (const [caseId, list] of byCase) {
    list.sort((a, b) => a.position - b.position);
    if (list.some((r) => r.writer === null)) { unattributed++; continue; }
    const runs: string[] = [];
    for (const r of list) if (runs[runs.length - 1] !== r.writer) runs.push(r.writer!);
    if (new Set(runs).size < runs.length) interleaved.push({ caseId, writers: runs });
    else if (runs.length > 1) handedOver++;
  }
  return { cases: byCase.size, events: rows.length, eventsByWriter, handedOver, interleaved, unattributed };
}

/** Reads the writer of every event of `caseIds` from the events table and runs {@link checkDoubleHandling}. */
export async function readDoubleHandling(pool: Pool, caseIds: readonly string[]): Promise<DoubleHandlingCheck> {
  const { rows } = await pool.query<{ stream_id: string; stream_position: number; writer: string | null }>(
    `SELECT stream_id, stream_position, metadata->>'writer' AS writer FROM events WHERE stream_id = ANY($1)`, [caseIds]);
  return checkDoubleHandling(rows.map((r) => ({ caseId: r.stream_id, position: r.stream_position, writer: r.writer })));
}
