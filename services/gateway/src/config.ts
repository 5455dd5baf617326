import { brokersFromEnv } from '@baton/kafka';
import { envBool, envHost, envInt } from '@baton/observability';

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
  /** How often the catalog looks for contracts registered elsewhere (`BATON_CONTRACT_POLL_MS`, default 5 000 ms); a miss looks at once. */
  contractPollMs: number;
}

/**
 * Reads the configuration.
 * @throws Error naming the variable when a value is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: the gateway reads the projections, the registry and the events from that PostgreSQL');
  return {
    databaseUrl,
    ...(env.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: env.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv(env),
    httpPort: envInt(env, 'PORT', 3000),
    host: envHost(env),
    topicNamespace: env.BATON_TOPIC_NAMESPACE ?? '',
    migrate: envBool(env, 'BATON_MIGRATE', false),
    poolSize: envInt(env, 'BATON_DB_POOL', 10),
    contractPollMs: envInt(env, 'BATON_CONTRACT_POLL_MS', 5000),
  };
}
