import type { MigrationInterface } from 'typeorm';
import { eventStoreSchemaMigration } from './1767225600000-event-store-schema';
import { TimersByStream1796169600000 } from './1796169600000-timers-by-stream';
import { StepAdmission1796169607000 } from './1796169607000-step-admission';
import { Claims1796169641000 } from './1796169641000-claims';
import { Schedules1796169642000 } from './1796169642000-schedules';
import { DEFAULT_SERVICE_PASSWORD } from '../role/service-role';
import { DEFAULT_GATEWAY_PASSWORD } from '../role/gateway-role';
import { gatewayRoleMigration } from './1796169646000-gateway-role';
import { GatewayOperatorGrants1796169650000 } from './1796169650000-gateway-operator-grants';

/** Options of the event store's migrations. */
export interface MigrationOptions {
  /** Password of the service role when a migration creates it; default `'baton'`. */
  servicePassword?: string;
  /** Password of the gateway role (`baton_gateway`) when a migration creates it; default `'baton'`. */
  gatewayPassword?: string;
}

/**
 * The event store's TypeORM migration classes, oldest first, for a `DataSource`'s
 * `migrations` option (use `migrationsTableName: 'event_store_migrations'`).
 */
export function eventStoreMigrations(options: MigrationOptions = {}): Array<new () => MigrationInterface> {
  return [eventStoreSchemaMigration(options.servicePassword ?? DEFAULT_SERVICE_PASSWORD), TimersByStream1796169600000, StepAdmission1796169607000, Claims1796169641000, Schedules1796169642000, gatewayRoleMigration(options.gatewayPassword ?? DEFAULT_GATEWAY_PASSWORD), GatewayOperatorGrants1796169650000];
}

/** The table where TypeORM records which of these migrations have run. */
export const MIGRATIONS_TABLE = 'event_store_migrations';
