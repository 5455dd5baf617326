import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { createLogger } from '@baton/observability';
import { kafkaCredentialsFromEnv, saslOptions, type KafkaCredentials } from './credentials';

/** Options for {@link createKafka}. */
export interface KafkaClientOptions {
  /** `host:port` of each bootstrap broker; default from `KAFKA_BROKERS`, else `127.0.0.1:9092`. */
  brokers?: string[];
  /** Names this process in broker logs and quotas, e.g. `baton-orchestrator`. */
  clientId: string;
  /** Least severe kafkajs log level written to stderr; default `WARN`. */
  logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  /** Client-level retries of a failed request (and of a failed consumer batch) before kafkajs gives up; default 8. */
  retries?: number;
  /**
   * The principal whose password the local credentials file gives when the environment sets no
   * `KAFKA_SASL_USERNAME` (see `kafkaCredentialsFromEnv`): the service's own, e.g. `baton-orchestrator`.
   */
  principal?: string;
  /** Credentials to use instead of the environment's; `null`: none (a plaintext broker). */
  credentials?: KafkaCredentials | null;
}

/** Broker list from `KAFKA_BROKERS` (comma-separated `host:port`), default `127.0.0.1:9092`. */
export function brokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * kafkajs messages that say nothing actionable here. The idempotent producer's retries are
 * bounded on purpose (the outbox relay retries a failed send itself, and exactly-once effect
 * comes from the Postgres inbox, not from Kafka), so its warning about limited retries is noise.
 */
const silenced = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/** kafkajs log entries through the service logger (`@baton/observability`), component `kafkajs.<namespace>`. */
const jsonLines: logCreator = () => ({ namespace, level, log }) => {
  const { message, ...extra } = log;
  if (silenced.has(message)) return;
  createLogger(`kafkajs.${namespace}`)[levelNames[level] ?? 'info'](extra, message);
};

/**
 * A kafkajs client with the settings this project relies on: short connection timeouts for a
 * local broker, bounded client-level retries (the consumer runner does its own retrying), and
 * JSON log lines. kafkajs 2.2.4 is its last release (the project is in maintenance), so these
 * settings are pinned to its behaviour. It authenticates with SASL (SCRAM-SHA-512 by default) as
 * `options.credentials`, else as the environment says (`kafkaCredentialsFromEnv`: `KAFKA_SASL_*`,
 * else the local broker's credentials file for `BATON_KAFKA_PRINCIPAL` or `options.principal`).
 * @throws KafkaCredentialsError when the environment names a principal without a password
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers ?? brokersFromEnv(),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 100, retries: options.retries ?? 8, maxRetryTime: 5000 },
    logLevel: KafkaLogLevel[options.logLevel ?? 'WARN'],
    logCreator: jsonLines,
  };
  const credentials = options.credentials === undefined ? kafkaCredentialsFromEnv(process.env, options.principal) : options.credentials;
  if (credentials) config.sasl = saslOptions(credentials);
  return new Kafka(config);
}
