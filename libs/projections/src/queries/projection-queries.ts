import type { Pool } from 'pg';
import type { CaseStatus } from '@baton/workflow-engine';
import { InvalidProjectionQuery } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { tenantCondition } from '../projector/write-case-tenants';
import {
  toCaseSummary, toHumanTask, toStepExecution, toTimelineEntry,
  type CaseDetail, type CasePage, type HumanTask, type TimelineEntry,
} from './views';

/** Filters and page of {@link ProjectionQueries.listCases}. */
export interface ListCasesOptions {
  workflow?: string;
  status?: CaseStatus;
  /** Only cases whose key starts with this text (case-sensitive; `%` and `_` match themselves). */
  keyPrefix?: string;
  /** Only cases started at or after this instant (ISO-8601). */
  startedFrom?: string;
  /** Only cases started before this instant (ISO-8601). */
  startedBefore?: string;
  /** Page size: default 50, at most 500. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Only cases of this tenant (the caller's); absent: every tenant (operator tools on the owner connection). */
  tenant?: string;
}

/** Filters of {@link ProjectionQueries.tasks}. */
export interface ListTasksOptions {
  queue?: string;
  /** Only tasks of these queues (a reviewer's own; none: every queue). */
  queues?: readonly string[];
  /** Only tasks of this tenant's cases. */
  tenant?: string;
  /** Default `open`. */
  status?: HumanTask['status'];
  /** Most tasks returned, oldest request first: default 100, at most 500. */
  limit?: number;
}

/** The largest page `listCases` and `listTasks` return (a larger `limit` is capped to it). */
export const MAX_PAGE_SIZE = 500;
const MAX_LIMIT = MAX_PAGE_SIZE;

/**
 * Read-only queries over the projection tables, for the gateway and the CLI. Every method is one
 * or two SQL statements on `pool`; rows come back camel-cased with ISO-8601 times.
 */
export class ProjectionQueries {
  /** @param pool - connections to the database the projector writes (the service role suffices). */
  constructor(private readonly pool: Pool) {}

  /** The case's summary and every step (and compensation) attempt in schedule order, or `null` for an unknown case. */
  async getCase(caseId: string, tenant?: string): Promise<CaseDetail | null> {
    const summary = tenant === undefined
      ? await this.pool.query('SELECT * FROM case_summary WHERE case_id = $1', [caseId])
      : await this.pool.query(`SELECT * FROM case_summary s WHERE case_id = $1 AND ${tenantCondition('s', 2)}`, [caseId, tenant]);
    if (summary.rows.length === 0) return null;
    const executions = await this.pool.query(
      'SELECT * FROM step_executions WHERE case_id = $1 ORDER BY scheduled_at, step_id, attempt', [caseId]);
    return { summary: toCaseSummary(summary.rows[0]), executions: executions.rows.map(toStepExecution) };
  }

  /**
   * A page of case summaries, newest start first (`started_at DESC, case_id DESC`), by keyset:
   * pages stay stable while new cases arrive.
   * @throws InvalidProjectionQuery for a `limit` that is not a positive integer, a foreign `cursor`,
   *   or a `startedFrom` / `startedBefore` that is not an ISO-8601 instant.
   */
  async listCases(options: ListCasesOptions = {}): Promise<CasePage> {
    const limit = pageSize(options.limit, 50);
    const where: string[] = [];
    const values: unknown[] = [];
    if (options.tenant !== undefined) { values.push(options.tenant); where.push(tenantCondition('case_summary', values.length)); }
    if (options.workflow !== undefined) { values.push(options.workflow); where.push(`workflow = $${values.length}`); }
    if (options.status !== undefined) { values.push(options.status); where.push(`status = $${values.length}`); }
    if (options.keyPrefix !== undefined) { values.push(`${options.keyPrefix.replace(/[\\%_]/g, '\\$&')}%`); where.push(`case_key LIKE $${values.length}`); }
    if (options.startedFrom !== undefined) { values.push(instant('startedFrom', options.startedFrom)); where.push(`started_at >= $${values.length}::timestamptz`); }
    if (options.startedBefore !== undefined) { values.push(instant('startedBefore', options.startedBefore)); where.push(`started_at < $${values.length}::timestamptz`); }
    if (options.cursor !== undefined) {
      const c = decodeCursor(options.cursor);
      values.push(c.startedAt, c.caseId);
      where.push(`(started_at, case_id) < ($${values.length - 1}::timestamptz, $${values.length})`);
    }
    values.push(limit + 1);
    const { rows } = await this.pool.query(
      `SELECT * FROM case_summary ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY started_at DESC, case_id DESC LIMIT $${values.length}`,
      values,
    );
    const items = rows.slice(0, limit).map(toCaseSummary);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, caseId: last.caseId }) : null };
  }

  /** The case's events in stream order, each with its one-line summary (`[]` for an unknown case). */
  async timeline(caseId: string): Promise<TimelineEntry[]> {
    const { rows } = await this.pool.query('SELECT * FROM timeline WHERE case_id = $1 ORDER BY stream_position', [caseId]);
    return rows.map(toTimelineEntry);
  }

  /**
   * Review tasks, oldest request first; by default the open ones of every queue.
   * @throws InvalidProjectionQuery for a `limit` that is not a positive integer.
   */
  async tasks(options: ListTasksOptions = {}): Promise<HumanTask[]> {
    const values: unknown[] = [options.status ?? 'open'];
    let sql = 'SELECT * FROM human_tasks WHERE status = $1';
    if (options.queue !== undefined) { values.push(options.queue); sql += ' AND queue = $2'; }
    if (options.queues !== undefined) { values.push([...options.queues]); sql += ` AND queue = ANY($${values.length})`; }
    if (options.tenant !== undefined) { values.push(options.tenant); sql += ` AND ${tenantCondition('human_tasks', values.length)}`; }
    values.push(pageSize(options.limit, 100));
    const { rows } = await this.pool.query(`${sql} ORDER BY requested_at, task_id LIMIT $${values.length}`, values);
    return rows.map(toHumanTask);
  }

  /** One review task with its full context, or `null`. */
  async task(taskId: string, tenant?: string): Promise<HumanTask | null> {
    const { rows } = tenant === undefined
      ? await this.pool.query('SELECT * FROM human_tasks WHERE task_id = $1', [taskId])
      : await this.pool.query(`SELECT * FROM human_tasks t WHERE task_id = $1 AND ${tenantCondition('t', 2)}`, [taskId, tenant]);
    return rows.length === 0 ? null : toHumanTask(rows[0]);
  }

  /** How many tasks are open in each queue (queues without open tasks are left out). */
  async openTasksByQueue(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ queue: string; n: string }>(
      `SELECT queue, count(*) AS n FROM human_tasks WHERE status = 'open' GROUP BY queue ORDER BY queue`);
    return Object.fromEntries(rows.map((r) => [r.queue, Number(r.n)]));
  }
}

function instant(field: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidProjectionQuery(field, `must be an ISO-8601 date-time, got '${value}'`);
  return new Date(ms).toISOString();
}

function pageSize(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidProjectionQuery('limit', `must be a positive integer, got ${String(limit)}`);
  return Math.min(limit, MAX_LIMIT);
}
