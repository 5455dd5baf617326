import type { StepTypeLimits, Tx } from '@baton/event-store';
import { COMPENSATION_PREFIX, timerId, type CaseCommand, type CaseEvent, type CaseState, type Decision, type StepDispatch, type TimerRequest } from '@baton/workflow-engine';

/** How far a held attempt's timeout timer is put off: it restarts when the attempt is admitted (`StepAdmitted`). 30 days, ms. */
export const HELD_TIMEOUT_MS = 30 * 24 * 3600 * 1000;

/** What the case handler writes for one decision, after the admission edge looked at it. */
export interface AdmissionSplit {
  /** The step requests to publish now (the outbox). */
  readonly send: StepDispatch[];
  /** The decision's timers, a held attempt's timeout put off by {@link HELD_TIMEOUT_MS}. */
  readonly timers: TimerRequest[];
  /** Writes in the case's transaction: held rows, released slots, attempt outcomes; none when there is nothing to write. */
  readonly work?: (tx: Tx) => Promise<void>;
}

/**
 * The orchestrator's admission edge, between the pure decider and the outbox. A step request of
 * a governed step type (one with limits: concurrency, rate or a circuit breaker) is not
 * published: it is written to `step_admission` and waits there, durably, until the admitter
 * (`admitter.ts`) lets it through with an `AdmitStep` command, whose decision (`StepAdmitted`
 * and the same dispatch) is published. When an attempt of a tracked type ends (completed,
 * failed, timed out, abandoned) its row is deleted, which frees its slot, and its outcome is
 * recorded for the breaker. Compensation requests are never held.
 *
 * The limits are read by the admitter ({@link AdmissionEdge.update}); a type whose limits were
 * removed while rows of it exist stays tracked, so its slots are still released.
 */
export class AdmissionEdge {
  private limits = new Map<string, StepTypeLimits>();
  private tracked = new Set<string>();

  /** Sets the limits in force and the types that have rows in `step_admission`. */
  update(limits: readonly StepTypeLimits[], typesWithRows: readonly string[]): void {
    this.limits = new Map(limits.map((l) => [l.stepType, l]));
    this.tracked = new Set([...this.limits.keys(), ...typesWithRows]);
  }

  /** The limits of a step type, if it has any. */
  limitsOf(stepType: string): StepTypeLimits | undefined {
    return this.limits.get(stepType);
  }

  /** Every type the admitter must look at: governed, or with rows. */
  types(): string[] {
    return [...this.tracked];
  }

  /** True when requests of `stepType` wait for admission. */
  governs(stepType: string): boolean {
    const l = this.limits.get(stepType);
    return l !== undefined && (l.concurrency !== undefined || l.ratePerSecond !== undefined || l.breaker !== undefined);
  }

  /** Splits one decision of case `caseId` (whose state after it is `after`) into what is sent now and what the edge writes. */
  split(caseId: string, command: CaseCommand, decision: Decision, after: CaseState, now: number): AdmissionSplit {
    if (this.tracked.size === 0) return { send: decision.requests, timers: decision.timers };
    const hold = command.type === 'AdmitStep' ? [] : decision.requests.filter((r) => this.governs(r.stepType) && !r.stepId.startsWith(COMPENSATION_PREFIX));
    const heldTimers = new Set(hold.map((r) => timerId(caseId, 'attempt-timeout', r.stepId, r.attempt)));
    const timers = heldTimers.size === 0 ? decision.timers : decision.timers.map((t) => (heldTimers.has(t.timerId) ? { ...t, dueAt: now + HELD_TIMEOUT_MS } : t));
    const endings = attemptEndings(decision.events, after).filter((e) => this.tracked.has(e.stepType));
    const send = hold.length === 0 ? decision.requests : decision.requests.filter((r) => !hold.includes(r));
    if (hold.length === 0 && endings.length === 0) return { send, timers };
    const outcomes = endings.filter((e) => e.ok !== undefined && this.limits.get(e.stepType)?.breaker !== undefined);
    return {
      send, timers,
      work: async (tx) => {
        if (endings.length > 0) {
          await tx.query(
            `DELETE FROM step_admission a USING unnest($1::text[], $2::int[]) AS e(step_id, attempt)
             WHERE a.case_id = $3 AND a.step_id = e.step_id AND a.attempt = e.attempt`,
            [endings.map((e) => e.stepId), endings.map((e) => e.attempt), caseId],
          );
        }
        if (outcomes.length > 0) {
          await tx.query(
            `INSERT INTO step_outcomes (step_type, case_id, step_id, attempt, ok, at)
             SELECT t, $1, s, a, ok, to_timestamp($6 / 1000.0) FROM unnest($2::text[], $3::text[], $4::int[], $5::bool[]) AS o(t, s, a, ok)`,
            [caseId, outcomes.map((e) => e.stepType), outcomes.map((e) => e.stepId), outcomes.map((e) => e.attempt), outcomes.map((e) => e.ok), now],
          );
        }
        if (hold.length > 0) {
          await tx.query(
            `INSERT INTO step_admission (case_id, step_id, attempt, step_type, enqueued_at)
             SELECT $1, s, a, t, to_timestamp($5 / 1000.0) FROM unnest($2::text[], $3::int[], $4::text[]) AS h(s, a, t)
             ON CONFLICT DO NOTHING`,
            [caseId, hold.map((r) => r.stepId), hold.map((r) => r.attempt), hold.map((r) => r.stepType), now],
          );
        }
      },
    };
  }
}

/** An attempt that ended in these events: `ok` true (completed), false (failed, timed out), undefined (abandoned). */
interface AttemptEnding { stepId: string; attempt: number; stepType: string; ok?: boolean }

function attemptEndings(events: readonly CaseEvent[], after: CaseState): AttemptEnding[] {
  const out: AttemptEnding[] = [];
  for (const e of events) {
    const ok = e.type === 'StepCompleted' ? true : e.type === 'StepAttemptFailed' || e.type === 'StepTimedOut' ? false : e.type === 'StepAbandoned' ? undefined : null;
    if (ok === null) continue;
    const { stepId, attempt } = e.data as { stepId: string; attempt: number };
    const stepType = after.steps[stepId]?.stepType;
    if (stepType !== undefined) out.push({ stepId, attempt, stepType, ...(ok !== undefined && { ok }) });
  }
  return out;
}
