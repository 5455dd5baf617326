import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SASLOptions } from 'kafkajs';

/** SASL mechanisms a Baton client may use; the local broker takes `scram-sha-512` only. */
export type SaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

/** Credentials of one Kafka principal (a SASL user). */
export interface KafkaCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** Thrown when the environment names a principal whose password cannot be found. */
export class KafkaCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaCredentialsError';
  }
}

const repoRoot = resolve(__dirname, '../../..');

/**
 * Where the local broker's credentials file is: `BATON_KAFKA_CREDENTIALS`, else
 * `$BATON_HOME/kafka/credentials.json` (BATON_HOME default `<repo>/.baton`), written by
 * deploy/local/kafka.sh as `{ "mechanism": "scram-sha-512", "users": { "<principal>": "<password>" } }`.
 */
export function credentialsFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_KAFKA_CREDENTIALS || join(env.BATON_HOME || join(repoRoot, '.baton'), 'kafka', 'credentials.json');
}

/**
 * The password of `principal` in the local credentials file ({@link credentialsFileFromEnv}).
 * @returns undefined when there is no file (a broker without SASL)
 * @throws KafkaCredentialsError when the file exists but does not name `principal`
 */
export function localCredentials(principal: string, env: NodeJS.ProcessEnv = process.env): KafkaCredentials | undefined {
  const file = credentialsFileFromEnv(env);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { mechanism?: SaslMechanism; users?: Record<string, string> };
  const password = parsed.users?.[principal];
  if (!password) throw new KafkaCredentialsError(`Kafka principal '${principal}' has no password in ${file} (users: ${Object.keys(parsed.users ?? {}).join(', ')})`);
  return { mechanism: parsed.mechanism ?? 'scram-sha-512', username: principal, password };
}

/**
 * The credentials a client uses, first found wins:
 * 1. `KAFKA_SASL_USERNAME` and `KAFKA_SASL_PASSWORD` (mechanism `KAFKA_SASL_MECHANISM`, default
 *    `scram-sha-512`): what a deployment sets (the Helm chart from a Secret);
 * 2. the local credentials file (deploy/local/kafka.sh), for the principal `BATON_KAFKA_PRINCIPAL`,
 *    else `defaultPrincipal` (the service's own: `baton-orchestrator`, `baton-gateway`, a step
 *    team's), else `admin` (tools and tests);
 * 3. none: the broker takes plaintext clients.
 * @throws KafkaCredentialsError when only one of username and password is set, or the file lacks the principal
 */
export function kafkaCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env, defaultPrincipal?: string): KafkaCredentials | undefined {
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (username || password) {
    if (!username || !password) throw new KafkaCredentialsError(`KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together (${username ? 'KAFKA_SASL_PASSWORD' : 'KAFKA_SASL_USERNAME'} is missing)`);
    return { mechanism: (env.KAFKA_SASL_MECHANISM as SaslMechanism | undefined) || 'scram-sha-512', username, password };
  }
  return localCredentials(env.BATON_KAFKA_PRINCIPAL || defaultPrincipal || 'admin', env);
}

/** kafkajs `sasl` options of `credentials`. */
export function saslOptions(credentials: KafkaCredentials): SASLOptions {
  return { mechanism: credentials.mechanism, username: credentials.username, password: credentials.password } as SASLOptions;
}
