import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GATEWAY_ROLE } from '../role/gateway-role';

/**
 * What the gateway's role may do on the operator tables that came with schedules and flow control,
 * beyond reading: pause and unpause a schedule (UPDATE `schedules`), set and remove a step type's
 * limits (`step_type_limits`); it reads the breaker state and the admission queue. Runs after the
 * role exists (migration GatewayRole1796169646000); a table not there is skipped.
 */
export class GatewayOperatorGrants1796169650000 implements MigrationInterface {
  readonly name = 'GatewayOperatorGrants1796169650000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
DO $do$
BEGIN
  IF to_regclass('schedules') IS NOT NULL THEN GRANT SELECT, UPDATE ON schedules TO ${GATEWAY_ROLE}; END IF;
  IF to_regclass('step_type_limits') IS NOT NULL THEN GRANT SELECT, INSERT, UPDATE, DELETE ON step_type_limits TO ${GATEWAY_ROLE}; END IF;
  IF to_regclass('step_type_state') IS NOT NULL THEN GRANT SELECT ON step_type_state TO ${GATEWAY_ROLE}; END IF;
  IF to_regclass('step_admission') IS NOT NULL THEN GRANT SELECT ON step_admission TO ${GATEWAY_ROLE}; END IF;
  IF to_regclass('claims') IS NOT NULL THEN GRANT SELECT ON claims TO ${GATEWAY_ROLE}; END IF;
END
$do$;`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON schedules, step_type_limits, step_type_state, step_admission, claims FROM ${GATEWAY_ROLE}`);
  }
}
