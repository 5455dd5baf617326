import { hostname } from 'node:os';
import { brokersFromEnv } from '@baton/kafka';
import { envBool, envHost, envInt } from '@baton/observability';

/** Everything the orchestrator reads from its environment, read once at start-up. */
export interface OrchestratorConfig {
  /** Owner connection, for migrations (`DATABASE_URL`). */
  databaseUrl: string;
  /** Connection the service runs on (`BATON_SERVICE_DATABASE_URL`); default the `baton_service` role on the same server. */
  serviceDatabaseUrl?: string;
  brokers: string[];
  /** HTTP port for `/metrics` and `/health` (`PORT`, default 3001); 0 picks a free one. */
  httpPort: number;
  /** Interface the HTTP server binds (`HOST`, default 127.0.0.1; `0.0.0.0` in a container). */
  host: string;
  /** Topic namespace (`BATON_TOPIC_NAMESPACE`), empty for the contract's names. */
  topicNamespace: string;
  /** Consumer group (`BATON_ORCHESTRATOR_GROUP`, default `baton-orchestrator`). */
  groupId: string;
  /** Names this instance in logs and Kafka (`BATON_INSTANCE_ID`, default the host name and pid). */
  instanceId: string;
  /** Run migrations at start-up (`BATON_MIGRATE`, default true). */
  migrate: boolean;
  /** Keep the projections up to date in this process (`BATON_PROJECTOR`, default true). */
  projector: boolean;
  /** Timer loop poll, ms (`BATON_TIMER_POLL_MS`, default 100). */
  timerPollMs: number;
  /** Postgres pool size (`BATON_DB_POOL`, default 20). */
  poolSize: number;
  /**
   * Kafka consumer session timeout, ms (`BATON_KAFKA_SESSION_TIMEOUT_MS`, default 10 000; the
   * broker's floor is 6 000). After a crash, the group waits this long for the dead member before
   * its partitions move, so it bounds how long cases wait after a restart.
   */
  sessionTimeoutMs: number;
  /**
   * Longest time one inbound message is retried, ms (`BATON_CONSUMER_MAX_RETRY_MS`, default
   * 300 000), before it is dead-lettered with reason `retries-exhausted`. A time, not a count, so
   * a database outage holds its partitions for minutes rather than emptying them into the DLT.
   */
  consumerMaxRetryMs: number;
  /** Readiness fails while a partition has held one message longer than this, ms (`BATON_CONSUMER_STALL_READY_MS`, default 60 000). */
  stallReadyMs: number;
  /**
   * Handle each Kafka batch of a partition in one transaction (`BATON_BATCH`, default true): one
   * inbox insert, one load, one append and one outbox insert for the whole batch (group commit).
   * `false` handles every message in a transaction of its own.
   */
  batch: boolean;
  /** The outbox relay claims its next batch while the previous one is being sent (`BATON_RELAY_PIPELINE`, default false: with two instances it starved both relays). */
  relayPipeline?: boolean;
  /** Time between stuck-case checks, ms (`BATON_STUCK_CHECK_MS`, default 30 000; 0 turns them off). */
  stuckCheckMs: number;
  /** How often the catalog looks for contracts registered in the contract registry (`BATON_CONTRACT_POLL_MS`, default 5 000 ms); a miss looks at once. */
  contractPollMs: number;
}

/**
 * Reads the configuration.
 * @throws Error naming the variable when a value is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: the orchestrator needs the PostgreSQL that holds the event store');
  const int = (name: string, fallback: number) => envInt(env, name, fallback);
  const bool = (name: string, fallback: boolean) => envBool(env, name, fallback);
  return {
    databaseUrl,
    ...(env.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: env.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv(env),
    httpPort: int('PORT', 3001),
    host: envHost(env),
    topicNamespace: env.BATON_TOPIC_NAMESPACE ?? '',
    groupId: env.BATON_ORCHESTRATOR_GROUP ?? 'baton-orchestrator',
    instanceId: env.BATON_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    migrate: bool('BATON_MIGRATE', true),
    projector: bool('BATON_PROJECTOR', true),
    timerPollMs: int('BATON_TIMER_POLL_MS', 100),
    poolSize: int('BATON_DB_POOL', 20),
    sessionTimeoutMs: int('BATON_KAFKA_SESSION_TIMEOUT_MS', 10000),
    consumerMaxRetryMs: int('BATON_CONSUMER_MAX_RETRY_MS', 300_000),
    stallReadyMs: int('BATON_CONSUMER_STALL_READY_MS', 60_000),
    stuckCheckMs: int('BATON_STUCK_CHECK_MS', 30000),
    batch: bool('BATON_BATCH', true),
    relayPipeline: bool('BATON_RELAY_PIPELINE', false),
    contractPollMs: int('BATON_CONTRACT_POLL_MS', 5000),
  };
}
