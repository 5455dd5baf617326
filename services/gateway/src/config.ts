import { brokersFromEnv } from '@baton/kafka';
import { COMMON_ENV, readEnv, type EnvSchema } from '@baton/observability';

/** Everything the gateway reads from its environment, read once at start-up. */
export interface GatewayConfig {
  /** Owner connection (`DATABASE_URL`): used as is only for migrations (`BATON_MIGRATE=true`). */
  databaseUrl: string;
  /** Connection the gateway runs on (`BATON_SERVICE_DATABASE_URL`); default the `baton_gateway` role on the same server (reads events and projections, registers definitions and contracts). */
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

/** The gateway's environment (README.md, "Environment"), checked at boot. */
export const GATEWAY_ENV = {
  DATABASE_URL: { type: 'string', required: true, expected: 'a PostgreSQL URL', description: 'the PostgreSQL of the projections, the registry and the events' },
  BATON_SERVICE_DATABASE_URL: { type: 'string', expected: 'a PostgreSQL URL', description: 'the connection the gateway runs on' },
  ...COMMON_ENV,
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port' },
  BATON_MIGRATE: { type: 'boolean', default: false, description: 'run the migrations at start-up' },
  BATON_DB_POOL: { type: 'integer', minimum: 1, default: 10, description: 'Postgres pool size' },
  BATON_CONTRACT_POLL_MS: { type: 'integer', minimum: 1, default: 5000, unit: 'ms', description: 'how often the catalog reads the contract registry' },
} as const satisfies EnvSchema;

/**
 * Reads the configuration ({@link GATEWAY_ENV}).
 * @throws ConfigError naming each variable that is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readEnv(GATEWAY_ENV, env);
  return {
    databaseUrl: e.DATABASE_URL,
    ...(e.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: e.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv({ KAFKA_BROKERS: e.KAFKA_BROKERS }),
    httpPort: e.PORT,
    host: e.HOST,
    topicNamespace: e.BATON_TOPIC_NAMESPACE,
    migrate: e.BATON_MIGRATE,
    poolSize: e.BATON_DB_POOL,
    contractPollMs: e.BATON_CONTRACT_POLL_MS,
  };
}
