import { hostname } from 'node:os';
import { brokersFromEnv } from '@baton/kafka';
import { COMMON_ENV, readEnv, type EnvSchema } from '@baton/observability';

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
  /** The case handler hands the outbox rows it wrote to this process's relay, which publishes them after COMMIT without claiming them (`BATON_RELAY_HANDOFF`, default true); `false`: every row waits for the claim. */
  relayHandOff?: boolean;
  /** Time between stuck-case checks, ms (`BATON_STUCK_CHECK_MS`, default 30 000; 0 turns them off). */
  stuckCheckMs: number;
  /** How often the catalog looks for contracts registered in the contract registry (`BATON_CONTRACT_POLL_MS`, default 5 000 ms); a miss looks at once. */
  contractPollMs: number;
  /** Step inputs and outputs, and case events' data, longer than this are claim-checked, bytes (`BATON_CLAIM_THRESHOLD_BYTES`, default 262 144). */
  claimThresholdBytes?: number;
  /** Where claims are stored (`BATON_CLAIM_STORE`): a PostgreSQL URL or a directory; default the `claims` table of the orchestrator's own database. */
  claimStore?: string;
  /** Cron ticks older than this when fired (after downtime) are skipped and counted, ms (`BATON_SCHEDULE_CATCHUP_MS`, default 60 000). */
  scheduleCatchupMs?: number;
  /** Wait between schedule rounds, ms (`BATON_SCHEDULE_POLL_MS`, default 200). */
  schedulePollMs?: number;
  /** Scan interval of each watched directory, ms (`BATON_FILE_POLL_MS`, default 250). */
  filePollMs?: number;
  /** A landed file counts as complete once its size and modification time held still this long, ms (`BATON_FILE_STABLE_MS`, default 1 000). */
  fileStableMs?: number;
}

/** The orchestrator's environment (README.md, "Environment"), checked at boot. */
export const ORCHESTRATOR_ENV = {
  DATABASE_URL: { type: 'string', required: true, expected: 'a PostgreSQL URL', description: 'the PostgreSQL that holds the event store, as its owner' },
  BATON_SERVICE_DATABASE_URL: { type: 'string', expected: 'a PostgreSQL URL', description: 'the connection the service runs on' },
  ...COMMON_ENV,
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3001, description: 'HTTP port of /metrics and /health' },
  BATON_ORCHESTRATOR_GROUP: { type: 'string', default: 'baton-orchestrator', description: 'the consumer group' },
  BATON_INSTANCE_ID: { type: 'string', description: 'names the instance in logs and Kafka' },
  BATON_MIGRATE: { type: 'boolean', default: true, description: 'run migrations at start-up' },
  BATON_PROJECTOR: { type: 'boolean', default: true, description: 'keep the projections up to date in this process' },
  BATON_TIMER_POLL_MS: { type: 'integer', minimum: 1, default: 100, unit: 'ms', description: 'timer loop poll' },
  BATON_DB_POOL: { type: 'integer', minimum: 1, default: 20, description: 'Postgres pool size' },
  BATON_KAFKA_SESSION_TIMEOUT_MS: { type: 'integer', minimum: 1, default: 10000, unit: 'ms', description: 'Kafka consumer session timeout' },
  BATON_CONSUMER_MAX_RETRY_MS: { type: 'integer', minimum: 1, default: 300_000, unit: 'ms', description: 'longest time one inbound message is retried' },
  BATON_CONSUMER_STALL_READY_MS: { type: 'integer', minimum: 1, default: 60_000, unit: 'ms', description: 'readiness fails while a partition holds one message longer' },
  BATON_STUCK_CHECK_MS: { type: 'integer', minimum: 0, default: 30000, unit: 'ms, 0 turns the check off', description: 'time between stuck-case checks' },
  BATON_BATCH: { type: 'boolean', default: true, description: 'one transaction per Kafka batch of a partition' },
  BATON_RELAY_PIPELINE: { type: 'boolean', default: false, description: 'outbox relay claims its next batch while the previous one is sent (off: two orchestrators slowed to a crawl in the bench)' },
  BATON_RELAY_HANDOFF: { type: 'boolean', default: true, description: 'the outbox rows a commit wrote go to the relay directly, no claim (off: every row waits for the claim)' },
  BATON_CONTRACT_POLL_MS: { type: 'integer', minimum: 1, default: 5000, unit: 'ms', description: 'how often the catalog reads the contract registry' },
  BATON_CLAIM_THRESHOLD_BYTES: { type: 'integer', minimum: 1, default: 262_144, unit: 'bytes', description: 'payloads longer than this travel by claim check' },
  BATON_CLAIM_STORE: { type: 'string', description: 'where claims are stored: a PostgreSQL URL or a directory (default the claims table of DATABASE_URL)' },
  BATON_SCHEDULE_CATCHUP_MS: { type: 'integer', minimum: 0, default: 60_000, unit: 'ms', description: 'cron ticks older than this after downtime are skipped and counted' },
  BATON_SCHEDULE_POLL_MS: { type: 'integer', minimum: 1, default: 200, unit: 'ms', description: 'wait between schedule rounds' },
  BATON_FILE_POLL_MS: { type: 'integer', minimum: 1, default: 250, unit: 'ms', description: 'scan interval of each watched directory' },
  BATON_FILE_STABLE_MS: { type: 'integer', minimum: 0, default: 1000, unit: 'ms', description: 'a landed file is complete once unchanged this long' },
} as const satisfies EnvSchema;

/**
 * Reads the configuration ({@link ORCHESTRATOR_ENV}).
 * @throws ConfigError naming each variable that is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const e = readEnv(ORCHESTRATOR_ENV, env);
  return {
    databaseUrl: e.DATABASE_URL,
    ...(e.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: e.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv({ KAFKA_BROKERS: e.KAFKA_BROKERS }),
    httpPort: e.PORT,
    host: e.HOST,
    topicNamespace: e.BATON_TOPIC_NAMESPACE,
    groupId: e.BATON_ORCHESTRATOR_GROUP,
    instanceId: e.BATON_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    migrate: e.BATON_MIGRATE,
    projector: e.BATON_PROJECTOR,
    timerPollMs: e.BATON_TIMER_POLL_MS,
    poolSize: e.BATON_DB_POOL,
    sessionTimeoutMs: e.BATON_KAFKA_SESSION_TIMEOUT_MS,
    consumerMaxRetryMs: e.BATON_CONSUMER_MAX_RETRY_MS,
    stallReadyMs: e.BATON_CONSUMER_STALL_READY_MS,
    stuckCheckMs: e.BATON_STUCK_CHECK_MS,
    batch: e.BATON_BATCH,
    relayPipeline: e.BATON_RELAY_PIPELINE,
    relayHandOff: e.BATON_RELAY_HANDOFF,
    contractPollMs: e.BATON_CONTRACT_POLL_MS,
    claimThresholdBytes: e.BATON_CLAIM_THRESHOLD_BYTES,
    ...(e.BATON_CLAIM_STORE ? { claimStore: e.BATON_CLAIM_STORE } : {}),
    scheduleCatchupMs: e.BATON_SCHEDULE_CATCHUP_MS,
    schedulePollMs: e.BATON_SCHEDULE_POLL_MS,
    filePollMs: e.BATON_FILE_POLL_MS,
    fileStableMs: e.BATON_FILE_STABLE_MS,
  };
}
