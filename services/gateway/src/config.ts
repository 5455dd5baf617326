import { brokersFromEnv } from '@baton/kafka';

/** Everything the gateway reads from its environment, read once at start-up. */
export interface GatewayConfig {
  /** Owner connection (`DATABASE_URL`): used as is only for migrations (`BATON_MIGRATE=true`). */
  databaseUrl: string;
  /** Connection the gateway runs on (`BATON_SERVICE_DATABASE_URL`); default the `baton_service` role on the same server. */
  serviceDatabaseUrl?: string;
  brokers: string[];
  /** HTTP port (`PORT`, default 3000); 0 picks a free one. */
  httpPort: number;
  /** Interface to listen on (`HOST`, default 127.0.0.1). */
  host: string;
  /** Topic namespace (`BATON_TOPIC_NAMESPACE`), empty for the contract's names. */
  topicNamespace: string;
  /** Run the migrations at start-up (`BATON_MIGRATE`, default false: the orchestrator owns them). */
  migrate: boolean;
  /** Postgres pool size (`BATON_DB_POOL`, default 10). */
  poolSize: number;
}

/**
 * Reads the configuration.
 * @throws Error naming the variable when a value is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: the gateway reads the projections, the registry and the events from that PostgreSQL');
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
    return n;
  };
  const migrate = env.BATON_MIGRATE ?? '';
  if (!['', 'true', 'false', '1', '0'].includes(migrate)) throw new Error(`BATON_MIGRATE must be true or false, got '${migrate}'`);
  return {
    databaseUrl,
    ...(env.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: env.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv(env),
    httpPort: int('PORT', 3000),
    host: env.HOST || '127.0.0.1',
    topicNamespace: env.BATON_TOPIC_NAMESPACE ?? '',
    migrate: migrate === 'true' || migrate === '1',
    poolSize: int('BATON_DB_POOL', 10),
  };
}
