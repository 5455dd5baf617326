import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { SchemaCatalog } from '@baton/avro';
import { caseIdFor, ContractNames, type TopicNames } from '@baton/contracts';
import type { MessageProducer, OutgoingMessage } from '@baton/kafka';
import { defineWorkflow, type WorkflowDefinition } from '@baton/workflow-engine';

/** The workflow's steps and the edges between them: a -> b -> c, then d and e in parallel, both needing c. */
export const STEP_IDS = ['a', 'b', 'c', 'd', 'e'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const EDGES: readonly (readonly [StepId, StepId])[] = [['a', 'b'], ['b', 'c'], ['c', 'd'], ['c', 'e']];
/** Steps on the critical path, one per level: a case takes at least this many step round trips. */
export const CRITICAL_PATH_HOPS = 4;

export const WORKFLOW_NAME = 'bench-noop';
const NOOP_INPUT = 'baton.steps.noop.Input';

/** The benchmark's workflow: five `noop` steps, a -> b -> c -> (d | e), with the engine's defaults. */
export function benchWorkflow(): WorkflowDefinition {
  return defineWorkflow({
    name: WORKFLOW_NAME, version: 1, input: NOOP_INPUT,
    steps: {
      a: { type: 'noop' },
      b: { type: 'noop', needs: ['a'] },
      c: { type: 'noop', needs: ['b'] },
      d: { type: 'noop', needs: ['c'] },
      e: { type: 'noop', needs: ['c'] },
    },
  });
}

/**
 * Sends `TriggerCase` messages (as an upstream system would, with the project's idempotent producer)
 * and remembers when each case was requested: the `requestedAt` of its trigger.
 */
export class TriggerSender {
  /** Case id -> trigger `requestedAt`, epoch ms. */
  readonly requestedAt = new Map<string, number>();

  constructor(private readonly producer: MessageProducer, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames) {}

  /** The case id a trigger with this key starts. */
  caseIdOf(key: string): string {
    return caseIdFor({ workflow: WORKFLOW_NAME, key, triggerId: 'unused' });
  }

  /** Sends one trigger per key, all at once (in produce requests of `chunk` messages); returns the case ids. */
  async burst(keys: readonly string[], chunk = 500): Promise<string[]> {
    for (let i = 0; i < keys.length; i += chunk) {
      const now = Date.now();
      await this.producer.send(keys.slice(i, i + chunk).map((k, j) => this.trigger(k, now, i + j)));
    }
    return keys.map((k) => this.caseIdOf(k));
  }

  /** Sends one trigger; resolves when the broker acknowledged it. */
  async one(key: string, n: number): Promise<string> {
    await this.producer.send([this.trigger(key, Date.now(), n)]);
    return this.caseIdOf(key);
  }

  private trigger(key: string, requestedAt: number, n: number): OutgoingMessage {
    this.requestedAt.set(this.caseIdOf(key), requestedAt);
    return {
      topic: this.topics.triggers, key,
      value: this.catalog.encode(ContractNames.TriggerCase, {
        triggerId: randomUUID(), workflow: WORKFLOW_NAME, version: null, key,
        input: this.catalog.encode(NOOP_INPUT, { n }), source: 'kafka', correlationId: null, requestedAt,
      }),
    };
  }
}

/** How many of a set of cases ended, and how. */
export interface CaseProgress { completed: number; failed: number }

/** Counts the cases among `caseIds` that completed, and those that failed or were cancelled. */
export async function caseProgress(pool: Pool, caseIds: readonly string[]): Promise<CaseProgress> {
  const { rows } = await pool.query<{ completed: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE event_type = 'CaseCompleted') AS completed,
            count(*) FILTER (WHERE event_type IN ('CaseFailed', 'CaseCancelled')) AS failed
     FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted', 'CaseFailed', 'CaseCancelled')`, [caseIds]);
  return { completed: Number(rows[0]!.completed), failed: Number(rows[0]!.failed) };
}

/**
 * Polls until every case in `caseIds` ended (or `timeoutMs` passed); the figures come from the
 * events' own times afterwards, so the poll interval does not change them.
 */
export async function waitForCases(pool: Pool, caseIds: readonly string[], timeoutMs: number): Promise<CaseProgress & { timedOut: boolean }> {
  const until = Date.now() + timeoutMs;
  // Asks only about the cases not seen ended yet: the query (every event of each case it names)
  // shrinks as cases end, so the poll costs Postgres little while it competes with the orchestrator.
  let remaining = [...caseIds];
  const ended: CaseProgress = { completed: 0, failed: 0 };
  for (;;) {
    const { rows } = await pool.query<{ stream_id: string; event_type: string }>(
      `SELECT stream_id, event_type FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted', 'CaseFailed', 'CaseCancelled')`, [remaining]);
    const done = new Set(rows.map((r) => r.stream_id));
    for (const r of rows) if (r.event_type === 'CaseCompleted') ended.completed++; else ended.failed++;
    remaining = remaining.filter((id) => !done.has(id));
    if (remaining.length === 0) return { ...ended, timedOut: false };
    if (Date.now() > until) return { ...ended, timedOut: true };
    await sleep(1000);
  }
}

/**
 * Polls until the orchestrator has nothing left to do for these cases: every outbox row published
 * and the projector's case summaries show them ended. Resolves with when that was seen (epoch ms),
 * or null after `timeoutMs`.
 */
export async function waitForDrain(pool: Pool, caseIds: readonly string[], timeoutMs: number): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ unsent: string; projected: string }>(
      `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS unsent,
              (SELECT count(*) FROM case_summary WHERE case_id = ANY($1) AND status IN ('completed', 'failed', 'cancelled')) AS projected`, [caseIds]);
    if (Number(rows[0]!.unsent) === 0 && Number(rows[0]!.projected) >= caseIds.length) return Date.now();
    if (Date.now() > until) return null;
    await sleep(100);
  }
}

/**
 * Starts `start(i)` for i = 0..count-1 at `ratePerSecond` (an open loop: a slow call does not
 * delay the next start) and resolves with every result once all have settled.
 */
export async function paced<T>(count: number, ratePerSecond: number, start: (i: number) => Promise<T>): Promise<T[]> {
  const began = Date.now();
  const runs: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = began + (i * 1000) / ratePerSecond - Date.now();
    if (wait > 0) await sleep(wait);
    runs.push(start(i));
  }
  return Promise.all(runs);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
