import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sub-workflows: `case_summary.parent_case_id` (the case whose sub-workflow step started this
 * one) and `case_summary.children` (`[{caseId, stepId, attempt, workflow, version}]`, the child
 * cases this case started), so the trace links parent and child both ways.
 */
export class CaseSummaryFamily1764700003000 implements MigrationInterface {
  name = 'CaseSummaryFamily1764700003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS parent_case_id text, ADD COLUMN IF NOT EXISTS children jsonb NOT NULL DEFAULT '[]'`);
    await q.query('CREATE INDEX IF NOT EXISTS case_summary_parent ON case_summary (parent_case_id) WHERE parent_case_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS case_summary_parent');
    await q.query('ALTER TABLE case_summary DROP COLUMN IF EXISTS children, DROP COLUMN IF EXISTS parent_case_id');
  }
}
