import type { Tx } from '@baton/event-store';
import { attemptChange, type CaseEvent } from '@baton/workflow-engine';
import { iso, json } from './sql-values';

/**
 * The final `step_executions` and `human_tasks` rows of a rebuild, folded in memory from the
 * events in each case's stream order and written once (plain INSERTs, one statement per chunk)
 * instead of one upsert or update per kind of change per page. Each change does to its row
 * exactly what the live projector's statement does (`write-step-executions.ts`,
 * `write-human-tasks.ts`); `live-equals-rebuilt.property.int.spec.ts` checks that the rows
 * come out equal.
 * @internal
 */
export class BulkRows {
  private readonly executions = new Map<string, ExecutionRow>();
  private readonly tasks = new Map<string, TaskRow>();

  /** Takes one event of `caseId` (in the case's stream order). */
  add(caseId: string, e: CaseEvent): void {
    this.addAttempt(caseId, e);
    this.addTask(caseId, e);
  }

  /** Inserts every row, `chunk` rows per statement, inside `tx` (the tables were emptied in it). */
  async flush(tx: Tx, chunk: number): Promise<void> {
    await insertColumns(tx, EXECUTIONS_SQL, [...this.executions.values()], EXECUTION_COLUMNS, chunk);
    await insertColumns(tx, TASKS_SQL, [...this.tasks.values()], TASK_COLUMNS, chunk);
  }

  private addAttempt(caseId: string, e: CaseEvent): void {
    const c = attemptChange(e);
    if (!c) return;
    const key = `${caseId}\u0001${c.stepId}\u0001${c.attempt}`;
    const row = this.executions.get(key);
    const since = (finishedAt: number) => finishedAt - Date.parse(row!.scheduled_at);
    switch (c.kind) {
      case 'scheduled':
        this.executions.set(key, {
          case_id: caseId, step_id: c.stepId, attempt: c.attempt, step_type: c.stepType, status: 'running', input: json(c.input),
          output: null, error: null, scheduled_at: iso(c.scheduledAt)!, deadline: iso(c.deadline), finished_at: null, duration_ms: null,
          model: null, model_version: null, input_tokens: null, output_tokens: null, cost_usd: null,
        });
        return;
      case 'extended':
        if (row) row.deadline = iso(c.deadline);
        return;
      case 'completed': {
        if (!row) return;
        const m = c.metering;
        Object.assign(row, {
          status: 'completed', output: json(c.output), error: null, finished_at: iso(c.finishedAt), duration_ms: c.durationMs ?? since(c.finishedAt),
          model: m?.model ?? null, model_version: m?.modelVersion ?? null, input_tokens: m?.inputTokens ?? null,
          output_tokens: m?.outputTokens ?? null, cost_usd: m?.costUsd ?? null,
        });
        return;
      }
      case 'failed':
      case 'timed-out':
        if (row) Object.assign(row, { status: c.kind, error: json(c.error), finished_at: iso(c.finishedAt), duration_ms: since(c.finishedAt) });
        return;
      case 'abandoned':
        if (row?.status === 'running') Object.assign(row, { status: 'abandoned', finished_at: iso(c.finishedAt), duration_ms: since(c.finishedAt) });
        return;
    }
  }

  private addTask(caseId: string, e: CaseEvent): void {
    switch (e.type) {
      case 'ReviewRequested': {
        const d = e.data;
        this.tasks.set(d.taskId, {
          task_id: d.taskId, case_id: caseId, step_id: d.stepId, attempt: d.attempt, step_type: d.stepType, queue: d.queue, status: 'open',
          escalated: false, reason: d.reason, output: json(d.output), input: json(d.input), context: json(d.context),
          requested_at: iso(d.requestedAt)!, due_at: iso(d.dueAt), decision: null, decided_output: null, reviewer: null, comment: null,
          decided_by: null, decided_at: null,
        });
        return;
      }
      case 'ReviewDecided': {
        const d = e.data;
        const row = this.tasks.get(d.taskId);
        if (row) Object.assign(row, {
          status: 'decided', decision: d.decision, decided_output: json(d.output), reviewer: d.reviewer ?? null, comment: d.comment ?? null,
          decided_by: d.decidedBy, decided_at: iso(d.decidedAt),
        });
        return;
      }
      case 'ReviewEscalated': {
        const row = this.tasks.get(e.data.taskId);
        if (row) Object.assign(row, { queue: e.data.queue, escalated: true });
        return;
      }
      case 'ReviewWithdrawn': {
        const row = this.tasks.get(e.data.taskId);
        if (row) row.status = 'withdrawn';
        return;
      }
      default:
        return;
    }
  }
}

interface ExecutionRow {
  case_id: string; step_id: string; attempt: number; step_type: string; status: string; input: string | null; output: string | null;
  error: string | null; scheduled_at: string; deadline: string | null; finished_at: string | null; duration_ms: number | null;
  model: string | null; model_version: string | null; input_tokens: number | null; output_tokens: number | null; cost_usd: number | null;
}

interface TaskRow {
  task_id: string; case_id: string; step_id: string; attempt: number; step_type: string; queue: string; status: string; escalated: boolean;
  reason: string; output: string | null; input: string | null; context: string | null; requested_at: string; due_at: string | null;
  decision: string | null; decided_output: string | null; reviewer: string | null; comment: string | null; decided_by: string | null;
  decided_at: string | null;
}

// Column name and the array type its parameter is sent as; jsonb columns travel as text, and
// cost_usd as float8, cast on assignment, as the live statements do.
const EXECUTION_COLUMNS = [['case_id', 'text'], ['step_id', 'text'], ['attempt', 'int'], ['step_type', 'text'], ['status', 'text'],
  ['input', 'text'], ['output', 'text'], ['error', 'text'], ['scheduled_at', 'timestamptz'], ['deadline', 'timestamptz'],
  ['finished_at', 'timestamptz'], ['duration_ms', 'bigint'], ['model', 'text'], ['model_version', 'text'], ['input_tokens', 'int'],
  ['output_tokens', 'int'], ['cost_usd', 'float8']] as const;
const TASK_COLUMNS = [['task_id', 'text'], ['case_id', 'text'], ['step_id', 'text'], ['attempt', 'int'], ['step_type', 'text'],
  ['queue', 'text'], ['status', 'text'], ['escalated', 'boolean'], ['reason', 'text'], ['output', 'text'], ['input', 'text'],
  ['context', 'text'], ['requested_at', 'timestamptz'], ['due_at', 'timestamptz'], ['decision', 'text'], ['decided_output', 'text'],
  ['reviewer', 'text'], ['comment', 'text'], ['decided_by', 'text'], ['decided_at', 'timestamptz']] as const;
const JSONB = new Set(['input', 'output', 'error', 'context', 'decided_output']);

function insertSql(table: string, columns: readonly (readonly [string, string])[]): string {
  const names = columns.map(([c]) => c);
  return `INSERT INTO ${table} (${names.join(', ')})
SELECT ${names.map((c) => (JSONB.has(c) ? `v.${c}::jsonb` : `v.${c}`)).join(', ')}
FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')}) AS v(${names.join(', ')})`;
}

const EXECUTIONS_SQL = insertSql('step_executions', EXECUTION_COLUMNS);
const TASKS_SQL = insertSql('human_tasks', TASK_COLUMNS);

async function insertColumns<R extends object>(tx: Tx, sql: string, rows: readonly R[], columns: readonly (readonly [string, string])[], chunk: number): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk) as Record<string, unknown>[];
    await tx.query(sql, columns.map(([c]) => part.map((r) => r[c])));
  }
}
