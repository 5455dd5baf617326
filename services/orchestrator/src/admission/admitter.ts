import { randomUUID } from 'node:crypto';
import type { SchemaCatalog } from '@baton/avro';
import { ContractNames, type TopicNames } from '@baton/contracts';
import { readLimits, type CircuitState, type EventStore, type StepTypeLimits, type Tx } from '@baton/event-store';
import { Headers } from '@baton/kafka';
import { log } from '@baton/observability';
import { CaseCommandError } from '@baton/workflow-engine';
import type { CaseHandler, Handled } from '../handling/case-handler';
import type { AdmissionEdge } from './admission-edge';
import type { AdmissionMetrics } from './admission-metrics';
import { circuitGaugeValue, nextCircuit } from './breaker';

/** Options of {@link Admitter}. */
export interface AdmitterOptions {
  /** Wait between rounds, ms; default 50. */
  pollMs?: number;
  /** How often the limits are read again from Postgres, ms; default 1 000. */
  limitsPollMs?: number;
  /** Requests admitted per step type per round at most; default 100. */
  maxPerRound?: number;
  /** The clock, epoch ms. */
  clock?: () => number;
}

interface TypeState { tokens: number; refilled: number; circuit: CircuitState; changed: number; probe: { caseId: string; stepId: string; attempt: number } | null }

const ENUM: Record<CircuitState, string> = { closed: 'CLOSED', 'half-open': 'HALF_OPEN', open: 'OPEN' };

/**
 * Lets held step requests through, in enqueue order, per step type, across every orchestrator
 * process: each round locks the type's `step_type_state` row (`FOR UPDATE`, so two processes take
 * turns), moves its circuit breaker on (`nextCircuit`, a `CircuitStateChanged` record on
 * `baton.step-type-events` per change, through the outbox in the same transaction), computes the
 * free capacity (concurrency minus the admitted rows, the token bucket refilled at
 * `ratePerSecond` up to `burst`, nothing while open, one probe while half-open), marks that many
 * waiting rows admitted and hands each to the case handler as `AdmitStep` in the same
 * transaction, so the admission, `StepAdmitted` and the published request commit together.
 */
export class Admitter {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private limitsReadAt = 0;
  /** Requests admitted since start. */
  admitted = 0;

  constructor(private readonly deps: {
    store: EventStore; handler: CaseHandler; edge: AdmissionEdge; metrics: AdmissionMetrics;
    catalog: SchemaCatalog; topics: TopicNames; onAdmitted?: () => void;
  }, private readonly options: AdmitterOptions = {}) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Looks again now (a test, or after a limit changed). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Reads the limits and the types with rows again (the edge holds what it reads). */
  async refreshLimits(): Promise<void> {
    const limits = await readLimits(this.deps.store.pool);
    const { rows } = await this.deps.store.pool.query<{ step_type: string }>(
      `SELECT step_type FROM step_type_state WHERE circuit <> 'closed' UNION SELECT DISTINCT step_type FROM step_admission`);
    this.deps.edge.update(limits, rows.map((r) => r.step_type));
    this.limitsReadAt = this.now();
  }

  /** One round over every tracked step type. @returns how many requests it admitted */
  async round(): Promise<number> {
    if (this.now() - this.limitsReadAt >= (this.options.limitsPollMs ?? 1000)) await this.refreshLimits();
    let n = 0;
    for (const type of this.deps.edge.types()) n += await this.admitType(type);
    return n;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private async admitType(stepType: string): Promise<number> {
    const limits = this.deps.edge.limitsOf(stepType);
    const handled: { caseId: string; handled: Handled }[] = [];
    const touched: string[] = [];
    let waitedSeconds: number[] = [];
    try {
      const admitted = await this.deps.store.withTransaction(async (tx) => {
        const now = this.now();
        const st = await this.lockState(tx, stepType, limits, now);
        await this.moveBreaker(tx, stepType, limits, st, now);
        const { rows: [counts] } = await tx.query<{ waiting: string; in_flight: string }>(
          `SELECT count(*) FILTER (WHERE admitted_at IS NULL) AS waiting, count(*) FILTER (WHERE admitted_at IS NOT NULL) AS in_flight
           FROM step_admission WHERE step_type = $1`, [stepType]);
        const waiting = Number(counts!.waiting);
        this.deps.metrics.waiting.set({ step_type: stepType }, waiting);
        let allowed = Math.min(this.options.maxPerRound ?? 100, waiting);
        if (limits?.concurrency !== undefined) allowed = Math.min(allowed, limits.concurrency - Number(counts!.in_flight));
        if (limits?.ratePerSecond !== undefined) {
          const burst = limits.burst ?? Math.max(1, Math.ceil(limits.ratePerSecond));
          st.tokens = Math.min(burst, st.tokens + ((now - st.refilled) / 1000) * limits.ratePerSecond);
          st.refilled = now;
          allowed = Math.min(allowed, Math.floor(st.tokens));
        }
        if (limits?.breaker !== undefined || st.circuit !== 'closed') {
          if (st.circuit === 'open') allowed = 0;
          if (st.circuit === 'half-open') allowed = st.probe ? 0 : Math.min(allowed, 1);
        }
        let done = 0;
        if (allowed > 0) {
          const { rows } = await tx.query<{ case_id: string; step_id: string; attempt: number; enqueued: string }>(
            `UPDATE step_admission a SET admitted_at = to_timestamp($3 / 1000.0)
             FROM (SELECT case_id, step_id, attempt FROM step_admission WHERE step_type = $1 AND admitted_at IS NULL
                   ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED) w
             WHERE a.case_id = w.case_id AND a.step_id = w.step_id AND a.attempt = w.attempt
             RETURNING a.case_id, a.step_id, a.attempt, (extract(epoch from a.enqueued_at) * 1000)::float8 AS enqueued`,
            [stepType, allowed, now]);
          waitedSeconds = [];
          for (const r of rows) {
            const waitedMs = now - Number(r.enqueued);
            touched.push(r.case_id);
            const h = await this.admitOne(tx, r.case_id, r.step_id, r.attempt, waitedMs);
            if (h && h.result.status === 'applied' && !h.result.ignored) {
              handled.push({ caseId: r.case_id, handled: h });
              waitedSeconds.push(waitedMs / 1000);
              done++;
              if (st.circuit === 'half-open' && !st.probe) st.probe = { caseId: r.case_id, stepId: r.step_id, attempt: r.attempt };
            } else {
              // The attempt is gone (finished, abandoned, the case ended): its row holds no slot.
              await tx.query('DELETE FROM step_admission WHERE case_id = $1 AND step_id = $2 AND attempt = $3', [r.case_id, r.step_id, r.attempt]);
            }
          }
          if (limits?.ratePerSecond !== undefined) st.tokens -= rows.length;
        }
        await tx.query(
          `UPDATE step_type_state SET tokens = $2, refilled_at = to_timestamp($3 / 1000.0), probe = $4::jsonb WHERE step_type = $1`,
          [stepType, st.tokens, st.refilled, st.probe ? JSON.stringify(st.probe) : null]);
        return done;
      });
      for (const h of handled) this.deps.handler.committed(h.caseId, h.handled);
      for (const s of waitedSeconds) this.deps.metrics.queueWait.observe({ step_type: stepType }, s);
      if (admitted > 0) this.deps.onAdmitted?.();
      this.admitted += admitted;
      return admitted;
    } catch (error) {
      for (const id of touched) this.deps.handler.forget(id);
      log('warn', 'admission', `admitting requests of step type ${stepType} failed, trying again: ${(error as Error).message}`);
      return 0;
    }
  }

  private async admitOne(tx: Tx, caseId: string, stepId: string, attempt: number, waitedMs: number): Promise<Handled | null> {
    try {
      return await this.deps.handler.handleIn(tx, caseId, { type: 'AdmitStep', data: { stepId, attempt, waitedMs } }, { consumer: 'admission' });
    } catch (error) {
      if (!(error instanceof CaseCommandError)) throw error;
      log('warn', 'admission', `dropped the held request of ${caseId} step ${stepId} attempt ${attempt}: ${error.message}`);
      return null;
    }
  }

  /** The type's row, created (a full bucket) on first use, locked for this round. */
  private async lockState(tx: Tx, stepType: string, limits: StepTypeLimits | undefined, now: number): Promise<TypeState> {
    const full = limits?.ratePerSecond !== undefined ? (limits.burst ?? Math.max(1, Math.ceil(limits.ratePerSecond))) : 0;
    await tx.query(
      `INSERT INTO step_type_state (step_type, tokens, refilled_at, circuit_changed_at) VALUES ($1, $2, to_timestamp($3 / 1000.0), to_timestamp($3 / 1000.0))
       ON CONFLICT DO NOTHING`, [stepType, full, now]);
    const { rows: [r] } = await tx.query<{ tokens: number; refilled: number; circuit: CircuitState; changed: number; probe: TypeState['probe'] }>(
      `SELECT tokens, (extract(epoch from refilled_at) * 1000)::float8 AS refilled, circuit,
         (extract(epoch from circuit_changed_at) * 1000)::float8 AS changed, probe
       FROM step_type_state WHERE step_type = $1 FOR UPDATE`, [stepType]);
    return { tokens: Number(r!.tokens), refilled: Number(r!.refilled), circuit: r!.circuit, changed: Number(r!.changed), probe: r!.probe };
  }

  /** Applies the breaker's rules to the type's state (in place), recording and publishing a change. */
  private async moveBreaker(tx: Tx, stepType: string, limits: StepTypeLimits | undefined, st: TypeState, now: number): Promise<void> {
    const policy = limits?.breaker;
    if (!policy && st.circuit === 'closed') {
      this.deps.metrics.circuitState.set({ step_type: stepType }, 0);
      return;
    }
    const since = Math.max(now - (policy?.windowMs ?? 0), st.changed);
    const { rows: [f] } = await tx.query<{ failures: string }>(
      `SELECT count(*) AS failures FROM step_outcomes WHERE step_type = $1 AND NOT ok AND at >= to_timestamp($2 / 1000.0)`, [stepType, since]);
    let probe: 'ok' | 'failed' | undefined;
    if (st.probe) {
      const { rows } = await tx.query<{ ok: boolean }>(
        'SELECT ok FROM step_outcomes WHERE case_id = $1 AND step_id = $2 AND attempt = $3 ORDER BY id DESC LIMIT 1', [st.probe.caseId, st.probe.stepId, st.probe.attempt]);
      if (rows[0]) probe = rows[0].ok ? 'ok' : 'failed';
    }
    const failures = Number(f!.failures);
    const change = nextCircuit({ state: st.circuit, changedAt: st.changed, failuresInWindow: failures, ...(probe && { probe }) }, policy, now);
    if (change) {
      const from = st.circuit;
      await tx.query(`UPDATE step_type_state SET circuit = $2, circuit_changed_at = to_timestamp($3 / 1000.0) WHERE step_type = $1`, [stepType, change.to, now]);
      await this.deps.store.enqueue(tx, [this.circuitMessage(stepType, from, change.to, change.reason, failures, now)]);
      log('info', 'admission', `circuit of step type ${stepType}: ${from} -> ${change.to} (${change.reason})`);
      st.circuit = change.to;
      st.changed = now;
      st.probe = null;
      // Outcomes older than the new state's start no longer count; keep the table short.
      await tx.query('DELETE FROM step_outcomes WHERE step_type = $1 AND at < to_timestamp($2 / 1000.0)', [stepType, now - (policy?.windowMs ?? 0)]);
    }
    this.deps.metrics.circuitState.set({ step_type: stepType }, circuitGaugeValue(st.circuit));
  }

  private circuitMessage(stepType: string, from: CircuitState, to: CircuitState, reason: string, failures: number, at: number) {
    const eventId = randomUUID();
    const value = this.deps.catalog.encode(ContractNames.CircuitStateChanged, { eventId, stepType, from: ENUM[from], to: ENUM[to], reason, failures, at });
    return { topic: this.deps.topics.stepTypeEvents, key: stepType, value, headers: { [Headers.messageId]: eventId } };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.round();
      } catch (error) {
        log('warn', 'admission', `an admission round failed, retrying: ${(error as Error).message}`);
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 50);
        this.wakeUp = () => { clearTimeout(timer); resolve(); };
      });
      this.wakeUp = null;
    }
  }
}
