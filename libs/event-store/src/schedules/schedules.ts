import type { Queryable } from '../internal/queryable';
import type { Tx } from '../transaction/tx';

/** A durable cron schedule (the `schedules` table). Times are epoch ms. */
export interface Schedule {
  /** `<workflow>:<trigger id>`. */
  scheduleId: string;
  workflow: string;
  /** The version whose `triggers` declared it; fires start cases of this version. */
  workflowVersion: number;
  cron: string;
  timezone: string;
  input: Record<string, unknown>;
  /** Ticks older than this when fired are skipped (counted); null: the loop's default. */
  catchupWindowMs: number | null;
  paused: boolean;
  /** When it was last unpaused: ticks before it are skipped (a paused schedule does not catch up). */
  resumedAt: number | null;
  /** The next tick; null when the pattern has no more. */
  nextFireAt: number | null;
  lastFiredAt: number | null;
  firedCount: number;
  skippedCount: number;
}

/** One schedule as a workflow version declares it, for {@link syncSchedules}. */
export interface DeclaredSchedule {
  scheduleId: string;
  cron: string;
  timezone: string;
  input: Record<string, unknown>;
  catchupWindowMs: number | null;
  /** The first tick from now, used when the schedule is new or its pattern or time zone changed. */
  firstFireAt: number | null;
}

const COLUMNS = `schedule_id, workflow, workflow_version, cron, timezone, input, catchup_window_ms, paused,
  resumed_at, next_fire_at, last_fired_at, fired_count, skipped_count`;

interface Row {
  schedule_id: string; workflow: string; workflow_version: number; cron: string; timezone: string;
  input: Record<string, unknown>; catchup_window_ms: string | null; paused: boolean; resumed_at: Date | null;
  next_fire_at: Date | null; last_fired_at: Date | null; fired_count: string; skipped_count: string;
}

function toSchedule(r: Row): Schedule {
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  return {
    scheduleId: r.schedule_id, workflow: r.workflow, workflowVersion: r.workflow_version, cron: r.cron, timezone: r.timezone,
    input: r.input, catchupWindowMs: r.catchup_window_ms === null ? null : Number(r.catchup_window_ms), paused: r.paused,
    resumedAt: ms(r.resumed_at), nextFireAt: ms(r.next_fire_at), lastFiredAt: ms(r.last_fired_at),
    firedCount: Number(r.fired_count), skippedCount: Number(r.skipped_count),
  };
}

const ts = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Makes the schedules of `workflow` what its version `version` declares: new ones are added,
 * changed ones updated (the next tick is reset only when the pattern or time zone changed; the
 * paused flag and counts are kept), ones it no longer declares deleted. A schedule row of a
 * newer version than `version` is left alone (an older orchestrator syncing late).
 */
export async function syncSchedules(tx: Tx, workflow: string, version: number, declared: readonly DeclaredSchedule[]): Promise<void> {
  await tx.query(`DELETE FROM schedules WHERE workflow = $1 AND workflow_version <= $2 AND NOT (schedule_id = ANY($3::text[]))`, [workflow, version, declared.map((d) => d.scheduleId)]);
  for (const d of declared) {
    await tx.query(
      `INSERT INTO schedules (schedule_id, workflow, workflow_version, cron, timezone, input, catchup_window_ms, next_fire_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT (schedule_id) DO UPDATE SET
         next_fire_at = CASE WHEN schedules.cron <> EXCLUDED.cron OR schedules.timezone <> EXCLUDED.timezone THEN EXCLUDED.next_fire_at ELSE schedules.next_fire_at END,
         workflow_version = EXCLUDED.workflow_version, cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,
         input = EXCLUDED.input, catchup_window_ms = EXCLUDED.catchup_window_ms, updated_at = now()
       WHERE schedules.workflow_version <= EXCLUDED.workflow_version
         AND (schedules.workflow_version, schedules.cron, schedules.timezone, schedules.input, schedules.catchup_window_ms)
             IS DISTINCT FROM (EXCLUDED.workflow_version, EXCLUDED.cron, EXCLUDED.timezone, EXCLUDED.input, EXCLUDED.catchup_window_ms)`,
      [d.scheduleId, workflow, version, d.cron, d.timezone, JSON.stringify(d.input), d.catchupWindowMs, ts(d.firstFireAt)],
    );
  }
}

/**
 * Claims up to `limit` unpaused schedules whose next tick is at or before `nowMs`, locked until
 * `tx` ends (`FOR UPDATE SKIP LOCKED`: another orchestrator claims others or none), earliest first.
 */
export async function claimDueSchedules(tx: Tx, nowMs: number, limit: number): Promise<Schedule[]> {
  const { rows } = await tx.query<Row>(
    `SELECT ${COLUMNS} FROM schedules WHERE NOT paused AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [new Date(nowMs), limit],
  );
  return rows.map(toSchedule);
}

/** Records a claimed schedule's round inside `tx`: its next tick, and how many ticks fired and were skipped. */
export async function advanceSchedule(tx: Tx, scheduleId: string, round: { nextFireAt: number | null; lastFiredAt: number | null; fired: number; skipped: number }): Promise<void> {
  await tx.query(
    `UPDATE schedules SET next_fire_at = $2, last_fired_at = COALESCE($3, last_fired_at),
       fired_count = fired_count + $4, skipped_count = skipped_count + $5, updated_at = now()
     WHERE schedule_id = $1`,
    [scheduleId, ts(round.nextFireAt), ts(round.lastFiredAt), round.fired, round.skipped],
  );
}

/** Every schedule, by id. */
export async function listSchedules(db: Queryable): Promise<Schedule[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM schedules ORDER BY schedule_id`);
  return rows.map(toSchedule);
}

/**
 * Pauses or unpauses a schedule; unpausing sets `resumedAt`, so the ticks missed while paused are
 * skipped rather than caught up. @returns the schedule after the change, or null when there is none of that id
 */
export async function setSchedulePaused(db: Queryable, scheduleId: string, paused: boolean): Promise<Schedule | null> {
  const { rows } = await db.query<Row>(
    `UPDATE schedules SET paused = $2, resumed_at = CASE WHEN $2 THEN resumed_at WHEN paused THEN now() ELSE resumed_at END, updated_at = now()
     WHERE schedule_id = $1 RETURNING ${COLUMNS}`,
    [scheduleId, paused],
  );
  return rows[0] ? toSchedule(rows[0]) : null;
}
