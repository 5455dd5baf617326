import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Timers looked up by case (the stuck-case check, `timersOf`). */
export class TimersByStream1796169600000 implements MigrationInterface {
  readonly name = 'TimersByStream1796169600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX IF NOT EXISTS timers_stream_id_idx ON timers (stream_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS timers_stream_id_idx');
  }
}
