import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's role (`baton_gateway`, created by the event store's migrations) serves workflow
 * registration and the contract registry, so it reads both registries and INSERTs into them (their
 * rows are immutable: no UPDATE or DELETE); the sequence gives a contract schema its global id.
 */
export class GatewayRegistersDefinitions1796169646000 implements MigrationInterface {
  name = 'GatewayRegistersDefinitions1796169646000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN
        GRANT SELECT, INSERT ON workflow_definitions, contract_schemas TO baton_gateway;
        GRANT USAGE ON SEQUENCE contract_schemas_id_seq TO baton_gateway;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'baton_gateway') THEN
        REVOKE ALL ON workflow_definitions, contract_schemas FROM baton_gateway;
      END IF; END $$`);
  }
}
