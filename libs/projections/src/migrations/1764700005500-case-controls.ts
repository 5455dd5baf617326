import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `case_summary.controls` (jsonb): the case-level controls as the events left them: paused (by,
 * reason, at), deadline, timed out, budget exceeded, resets, and the usage (tokens, cost in integer
 * micro-dollars). Null for a row written before this migration until its case's next event (or a rebuild).
 */
export class CaseSummaryControls1764700005500 implements MigrationInterface {
  name = 'CaseSummaryControls1764700005500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS controls jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE case_summary DROP COLUMN IF EXISTS controls');
  }
}
