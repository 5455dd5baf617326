import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models fed from the event store: `case_summary`, `step_executions`, `human_tasks`,
 * `timeline` (see libs/projections/README.md for every column). They hold nothing the events do
 * not: `rebuildProjections` empties and refills them.
 */
export class CreateProjectionTables1700000000200 implements MigrationInterface {
  name = 'CreateProjectionTables1700000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS case_summary (
        case_id text PRIMARY KEY,
        workflow text NOT NULL,
        workflow_version integer NOT NULL,
        status text NOT NULL,
        case_key text,
        triggered_by text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms bigint,
        steps_in_flight text[] NOT NULL DEFAULT '{}',
        steps jsonb NOT NULL DEFAULT '{}',
        failure jsonb,
        cancellation jsonb,
        output jsonb,
        sla_due_at timestamptz,
        sla_breached boolean NOT NULL DEFAULT false,
        event_count integer NOT NULL,
        last_event_at timestamptz NOT NULL,
        updated_position bigint NOT NULL
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS case_summary_workflow_status ON case_summary (workflow, status)');
    await q.query('CREATE INDEX IF NOT EXISTS case_summary_started_at ON case_summary (started_at DESC, case_id DESC)');

    await q.query(`
      CREATE TABLE IF NOT EXISTS step_executions (
        case_id text NOT NULL,
        step_id text NOT NULL,
        attempt integer NOT NULL,
        step_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'timed-out', 'abandoned')),
        input jsonb,
        output jsonb,
        error jsonb,
        scheduled_at timestamptz NOT NULL,
        deadline timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms bigint,
        model text,
        model_version text,
        input_tokens integer,
        output_tokens integer,
        cost_usd numeric,
        PRIMARY KEY (case_id, step_id, attempt)
      )`);

    await q.query(`
      CREATE TABLE IF NOT EXISTS human_tasks (
        task_id text PRIMARY KEY,
        case_id text NOT NULL,
        step_id text NOT NULL,
        attempt integer NOT NULL,
        step_type text NOT NULL,
        queue text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'decided', 'withdrawn')),
        escalated boolean NOT NULL DEFAULT false,
        reason text NOT NULL,
        output jsonb,
        input jsonb,
        context jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        due_at timestamptz,
        decision text,
        decided_output jsonb,
        reviewer text,
        comment text,
        decided_by text,
        decided_at timestamptz
      )`);
    await q.query('CREATE INDEX IF NOT EXISTS human_tasks_queue_status ON human_tasks (queue, status)');
    await q.query('CREATE INDEX IF NOT EXISTS human_tasks_case ON human_tasks (case_id)');

    await q.query(`
      CREATE TABLE IF NOT EXISTS timeline (
        case_id text NOT NULL,
        stream_position integer NOT NULL,
        global_position bigint NOT NULL,
        event_type text NOT NULL,
        at timestamptz NOT NULL,
        step_id text,
        attempt integer,
        summary text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (case_id, stream_position)
      )`);

    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_service') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON case_summary, step_executions, human_tasks, timeline TO baton_service;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS timeline, human_tasks, step_executions, case_summary');
  }
}
