import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERVICE_ROLE } from '../role/service-role';

/**
 * The claim check's store (`@baton/claims` `PostgresClaimStore`): payloads above the claim
 * threshold, keyed by the lowercase hex SHA-256 of their bytes, written once and never changed.
 */
export class Claims1796169641000 implements MigrationInterface {
  readonly name = 'Claims1796169641000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS claims (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      content bytea NOT NULL,
      bytes integer NOT NULL CHECK (bytes = octet_length(content)),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(`GRANT SELECT, INSERT ON claims TO ${SERVICE_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS claims');
  }
}
