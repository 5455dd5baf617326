import type { Queryable } from '../internal/queryable';

/** A step type's circuit breaker: it opens after `failures` failed attempts within `windowMs`, holds new attempts for `openMs`, then lets one probe through. */
export interface BreakerPolicy {
  /** Failed attempts (failures and timeouts) within the window that open the circuit; at least 1. */
  readonly failures: number;
  /** The window the failures are counted in, ms. */
  readonly windowMs: number;
  /** How long an open circuit holds attempts before it lets one probe through (half-open), ms. */
  readonly openMs: number;
}

/**
 * What an operator set for one step type (`PUT /limits/{stepType}`, `baton limits set`), enforced
 * by the orchestrator's admission edge across all its processes. Any field may be absent.
 */
export interface StepTypeLimits {
  readonly stepType: string;
  /** Attempts of this type admitted and not yet finished, at most. */
  readonly concurrency?: number;
  /** Attempts admitted per second, on average (a token bucket). */
  readonly ratePerSecond?: number;
  /** Tokens the bucket holds at most (admissions in a burst); default `max(1, ceil(ratePerSecond))`. */
  readonly burst?: number;
  readonly breaker?: BreakerPolicy;
  /** ISO 8601. */
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** The state of a step type's breaker. */
export type CircuitState = 'closed' | 'half-open' | 'open';

/** A step type's breaker and queue as `GET /breakers` shows them. */
export interface BreakerStatus {
  readonly stepType: string;
  readonly state: CircuitState;
  /** ISO 8601: when it last changed state. */
  readonly changedAt: string;
  readonly policy: BreakerPolicy | null;
  /** Requests waiting for admission. */
  readonly waiting: number;
  /** Attempts admitted and not finished (slots in use). */
  readonly inFlight: number;
}

interface LimitRow { step_type: string; concurrency: number | null; rate_per_second: number | null; burst: number | null; breaker: BreakerPolicy | null; updated_at: Date; updated_by: string | null }

function toLimits(r: LimitRow): StepTypeLimits {
  return {
    stepType: r.step_type,
    ...(r.concurrency !== null && { concurrency: r.concurrency }),
    ...(r.rate_per_second !== null && { ratePerSecond: r.rate_per_second }),
    ...(r.burst !== null && { burst: r.burst }),
    ...(r.breaker !== null && { breaker: r.breaker }),
    updatedAt: r.updated_at.toISOString(),
    ...(r.updated_by !== null && { updatedBy: r.updated_by }),
  };
}

/** Every step type's limits, by step type. */
export async function readLimits(db: Queryable): Promise<StepTypeLimits[]> {
  const { rows } = await db.query<LimitRow>('SELECT * FROM step_type_limits ORDER BY step_type');
  return rows.map(toLimits);
}

/**
 * Sets (replaces) the limits of one step type.
 * @throws Error naming the field when a number is not positive (also refused by the table's CHECKs)
 */
export async function putLimits(db: Queryable, limits: StepTypeLimits): Promise<StepTypeLimits> {
  for (const field of ['concurrency', 'ratePerSecond', 'burst'] as const) {
    const v = limits[field];
    if (v !== undefined && !(v > 0)) throw new Error(`field '${field}' must be above 0, got ${v}`);
  }
  const { rows } = await db.query<LimitRow>(
    `INSERT INTO step_type_limits (step_type, concurrency, rate_per_second, burst, breaker, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, now(), $6)
     ON CONFLICT (step_type) DO UPDATE SET concurrency = excluded.concurrency, rate_per_second = excluded.rate_per_second,
       burst = excluded.burst, breaker = excluded.breaker, updated_at = now(), updated_by = excluded.updated_by
     RETURNING *`,
    [limits.stepType, limits.concurrency ?? null, limits.ratePerSecond ?? null, limits.burst ?? null,
      limits.breaker ? JSON.stringify(limits.breaker) : null, limits.updatedBy ?? null],
  );
  return toLimits(rows[0]!);
}

/** Removes a step type's limits; its waiting requests are then admitted at once. @returns whether it had any */
export async function deleteLimits(db: Queryable, stepType: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM step_type_limits WHERE step_type = $1', [stepType]);
  return (rowCount ?? 0) > 0;
}

/** The breaker and queue of every step type that has limits, a breaker state or waiting requests. */
export async function readBreakers(db: Queryable): Promise<BreakerStatus[]> {
  const { rows } = await db.query<{ step_type: string; circuit: CircuitState | null; circuit_changed_at: Date | null; breaker: BreakerPolicy | null; waiting: string; in_flight: string }>(`
    WITH types AS (
      SELECT step_type FROM step_type_limits UNION SELECT step_type FROM step_type_state UNION SELECT DISTINCT step_type FROM step_admission
    )
    SELECT t.step_type, s.circuit, s.circuit_changed_at, l.breaker,
      (SELECT count(*) FROM step_admission a WHERE a.step_type = t.step_type AND a.admitted_at IS NULL) AS waiting,
      (SELECT count(*) FROM step_admission a WHERE a.step_type = t.step_type AND a.admitted_at IS NOT NULL) AS in_flight
    FROM types t LEFT JOIN step_type_state s USING (step_type) LEFT JOIN step_type_limits l USING (step_type)
    ORDER BY t.step_type`);
  return rows.map((r) => ({
    stepType: r.step_type, state: r.circuit ?? 'closed', changedAt: (r.circuit_changed_at ?? new Date(0)).toISOString(),
    policy: r.breaker, waiting: Number(r.waiting), inFlight: Number(r.in_flight),
  }));
}
