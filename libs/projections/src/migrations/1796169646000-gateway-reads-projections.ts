import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's role (`baton_gateway`, created by the event store's migrations) reads the
 * projections and nothing more: SELECT only, so it can never change a read model.
 */
export class GatewayReadsProjections1796169646000 implements MigrationInterface {
  name = 'GatewayReadsProjections1796169646000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN
        GRANT SELECT ON case_summary, step_executions, human_tasks, timeline TO baton_gateway;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN
        REVOKE ALL ON case_summary, step_executions, human_tasks, timeline FROM baton_gateway;
      END IF; END $$`);
  }
}
