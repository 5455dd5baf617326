/**
 * The fault suite's checker, as Jepsen's checker reads a history: after a run it reads the event
 * store (every event of every case) and the side effects the steps left (one key per effect
 * applied: a notify line's case id, a publication file's case id), and counts what must be zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

/** What the run expected: the case ids it started, and the effects it saw, each as the keys applied. */
export interface CheckInput {
  caseIds: readonly string[];
  /** Effect name (`notify`, `publish`) to the key of every application seen (duplicates included). */
  effects?: Readonly<Record<string, readonly string[]>>;
  /** Effect name to the keys that must have been applied at least once (e.g. every completed case's notify). */
  required?: Readonly<Record<string, readonly string[]>>;
}

/** The checker's figures; every one but `cases` and `ended` must be 0 for a run to pass. */
export interface CheckReport {
  cases: number;
  ended: number;
  /** Expected cases with no event at all (the trigger was lost). */
  casesLost: number;
  /** Started, never ended. */
  casesStuck: number;
  /** Cases with more than one terminal event. */
  endedTwice: number;
  /** Events recorded twice: the same (case, type, step, attempt) more than once. */
  eventsDuplicated: number;
  /** Effect name to the keys applied more than once. */
  effectsAppliedTwice: Record<string, number>;
  /** Effect name to the required keys never applied (an effect lost). */
  effectsMissing: Record<string, number>;
  /** An example of each failure, for the log. */
  examples: string[];
}

const ENDED = ['CaseCompleted', 'CaseFailed', 'CaseCancelled'];

/** Reads the store and the effects; never throws on a bad history, only reports it. */
export async function checkHistory(pool: Pool, input: CheckInput): Promise<CheckReport> {
  const ids = [...input.caseIds];
  const seen = await pool.query<{ stream_id: string; ends: string }>(
    `SELECT stream_id, count(*) FILTER (WHERE event_type = ANY($2)) AS ends FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`, [ids, ENDED]);
  const ends = new Map(seen.rows.map((r) => [r.stream_id, Number(r.ends)]));
  const dup = await pool.query<{ stream_id: string; event_type: string; step: string | null; attempt: string | null; n: string }>(`
    SELECT stream_id, event_type, data->>'stepId' AS step, data->>'attempt' AS attempt, count(*) AS n FROM events
    WHERE stream_id = ANY($1) GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`, [ids]);
  const examples: string[] = [];
  const lost = ids.filter((id) => !ends.has(id));
  const stuck = ids.filter((id) => ends.get(id) === 0);
  const twice = ids.filter((id) => (ends.get(id) ?? 0) > 1);
  if (lost[0]) examples.push(`lost: ${lost[0]}`);
  if (stuck[0]) examples.push(`stuck: ${stuck[0]}`);
  if (twice[0]) examples.push(`ended twice: ${twice[0]}`);
  if (dup.rows[0]) examples.push(`event recorded ${dup.rows[0].n} times: ${dup.rows[0].stream_id} ${dup.rows[0].event_type} ${dup.rows[0].step ?? ''}#${dup.rows[0].attempt ?? ''}`);
  const effectsAppliedTwice: Record<string, number> = {};
  for (const [name, keys] of Object.entries(input.effects ?? {})) {
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    const again = [...counts].filter(([, n]) => n > 1);
    effectsAppliedTwice[name] = again.length;
    if (again[0]) examples.push(`${name} applied ${again[0][1]} times for ${again[0][0]}`);
  }
  const effectsMissing: Record<string, number> = {};
  for (const [name, keys] of Object.entries(input.required ?? {})) {
    const applied = new Set(input.effects?.[name] ?? []);
    const missing = keys.filter((k) => !applied.has(k));
    effectsMissing[name] = missing.length;
    if (missing[0]) examples.push(`${name} never applied for ${missing[0]}`);
  }
  return {
    cases: ids.length, ended: ids.length - lost.length - stuck.length, casesLost: lost.length, casesStuck: stuck.length,
    endedTwice: twice.length, eventsDuplicated: dup.rows.length, effectsAppliedTwice, effectsMissing, examples,
  };
}

/** The keys of a journal of applied effects (one key per line: `writeOnce`'s `applied.log`, a naive log); none when it does not exist. */
export function readJournal(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** The completed cases among `caseIds`: each must have applied its final step's effect. */
export async function completedCases(pool: Pool, caseIds: readonly string[]): Promise<string[]> {
  const r = await pool.query<{ stream_id: string }>("SELECT stream_id FROM events WHERE stream_id = ANY($1) AND event_type = 'CaseCompleted'", [[...caseIds]]);
  return r.rows.map((x) => x.stream_id);
}

/** The report's violations as sentences; empty when the history is clean. */
export function violations(r: CheckReport): string[] {
  const out: string[] = [];
  if (r.casesLost) out.push(`${r.casesLost} cases lost`);
  if (r.casesStuck) out.push(`${r.casesStuck} cases stuck`);
  if (r.endedTwice) out.push(`${r.endedTwice} cases ended twice`);
  if (r.eventsDuplicated) out.push(`${r.eventsDuplicated} events recorded twice`);
  for (const [name, n] of Object.entries(r.effectsAppliedTwice)) if (n) out.push(`${n} ${name} effects applied twice`);
  for (const [name, n] of Object.entries(r.effectsMissing)) if (n) out.push(`${n} ${name} effects never applied`);
  return out;
}
