import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GATEWAY_ROLE } from '../role/gateway-role';

// As the service role (migration 1): the role belongs to the whole server, so check first and
// take "already exists" as success; the password travels as a transaction-local setting.
const CREATE_ROLE = `
DO $do$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${GATEWAY_ROLE}') THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '${GATEWAY_ROLE}', current_setting('baton.gateway_password'));
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '${GATEWAY_ROLE}');
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), '${GATEWAY_ROLE}');
END
$do$;
GRANT SELECT ON events, checkpoints, timers TO ${GATEWAY_ROLE};`;

/**
 * Builds the migration that creates the gateway's read-mostly role ({@link GATEWAY_ROLE}) and
 * grants it SELECT on the event store's events, checkpoints (projection lag) and timers (the
 * stuck-case check); the projections' and registries' migrations grant it their tables.
 * @internal
 */
export function gatewayRoleMigration(gatewayPassword: string): new () => MigrationInterface {
  return class GatewayRole1796169646000 implements MigrationInterface {
    readonly name = 'GatewayRole1796169646000';

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`SELECT set_config('baton.gateway_password', $1, true)`, [gatewayPassword]);
      await queryRunner.query(CREATE_ROLE);
      await queryRunner.query(`SELECT set_config('baton.gateway_password', '', true)`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`REVOKE ALL ON events, checkpoints, timers FROM ${GATEWAY_ROLE}`);
    }
  };
}
