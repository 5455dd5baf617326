import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERVICE_ROLE } from '../role/service-role';

/**
 * Flow control per step type (services/orchestrator `admission/`):
 * - `step_type_limits`: what an operator set for a step type (concurrency, rate, circuit breaker);
 * - `step_admission`: step requests of a governed type, held until admitted (`admitted_at` set)
 *   and released (row deleted) when the attempt ends; the admitted rows are the slots in use;
 * - `step_type_state`: per type, the token bucket (`tokens` at `refilled_at`) and the breaker;
 * - `step_outcomes`: attempt outcomes of governed types, the breaker's window.
 */
export class StepAdmission1796169607000 implements MigrationInterface {
  readonly name = 'StepAdmission1796169607000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS step_type_limits (
        step_type text PRIMARY KEY,
        concurrency integer CHECK (concurrency > 0),
        rate_per_second double precision CHECK (rate_per_second > 0),
        burst integer CHECK (burst > 0),
        breaker jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS step_admission (
        case_id text NOT NULL,
        step_id text NOT NULL,
        attempt integer NOT NULL,
        step_type text NOT NULL,
        enqueued_at timestamptz NOT NULL DEFAULT now(),
        admitted_at timestamptz,
        PRIMARY KEY (case_id, step_id, attempt)
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS step_admission_waiting ON step_admission (step_type, enqueued_at) WHERE admitted_at IS NULL');
    await q.query('CREATE INDEX IF NOT EXISTS step_admission_admitted ON step_admission (step_type) WHERE admitted_at IS NOT NULL');
    await q.query(`
      CREATE TABLE IF NOT EXISTS step_type_state (
        step_type text PRIMARY KEY,
        tokens double precision NOT NULL DEFAULT 0,
        refilled_at timestamptz NOT NULL DEFAULT now(),
        circuit text NOT NULL DEFAULT 'closed' CHECK (circuit IN ('closed', 'half-open', 'open')),
        circuit_changed_at timestamptz NOT NULL DEFAULT now(),
        probe jsonb
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS step_outcomes (
        id bigserial PRIMARY KEY,
        step_type text NOT NULL,
        case_id text NOT NULL,
        step_id text NOT NULL,
        attempt integer NOT NULL,
        ok boolean NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS step_outcomes_type_at ON step_outcomes (step_type, at)');
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON step_type_limits, step_admission, step_type_state, step_outcomes TO ${SERVICE_ROLE};
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence('step_outcomes', 'id'), '${SERVICE_ROLE}');
      END IF;
    END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS step_outcomes, step_type_state, step_admission, step_type_limits');
  }
}
