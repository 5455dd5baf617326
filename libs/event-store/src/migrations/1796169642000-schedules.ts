import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERVICE_ROLE } from '../role/service-role';

/**
 * Durable cron schedules (`schedules/`): one row per cron trigger of a workflow's latest version,
 * claimed by the orchestrators' schedule loops with `FOR UPDATE SKIP LOCKED`.
 */
export class Schedules1796169642000 implements MigrationInterface {
  readonly name = 'Schedules1796169642000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS schedules (
      schedule_id        text        PRIMARY KEY,
      workflow           text        NOT NULL,
      workflow_version   integer     NOT NULL,
      cron               text        NOT NULL,
      timezone           text        NOT NULL,
      input              jsonb       NOT NULL DEFAULT '{}',
      catchup_window_ms  bigint,
      paused             boolean     NOT NULL DEFAULT false,
      resumed_at         timestamptz,
      next_fire_at       timestamptz,
      last_fired_at      timestamptz,
      fired_count        bigint      NOT NULL DEFAULT 0,
      skipped_count      bigint      NOT NULL DEFAULT 0,
      created_at         timestamptz NOT NULL DEFAULT now(),
      updated_at         timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS schedules_due_idx ON schedules (next_fire_at) WHERE NOT paused');
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON schedules TO ${SERVICE_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS schedules');
  }
}
