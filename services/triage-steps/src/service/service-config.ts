/**
 * What the triage step service reads from its environment, once at start-up.
 */
import { COMMON_ENV, readEnv, type EnvSchema } from '@baton/observability';
import { topicNames } from '@baton/contracts';
import { brokersFromEnv } from '@baton/kafka';
import { llmConfig } from '../config';
import { parseStepTypes, type TriageStepType } from '../step-types';

/** The service's configuration. */
export interface TriageServiceConfig {
  /** The step types this process serves (`BATON_STEP_TYPES`, comma-separated; default all). */
  stepTypes: TriageStepType[];
  /** HTTP port for `/metrics` and `/health` (`PORT`, default 3100; 0 picks a free one). */
  port: number;
  /** Interface the HTTP server binds (`HOST`, default 127.0.0.1; a container sets `0.0.0.0` so a scraper reaches it). */
  host: string;
  /** Topic namespace (`BATON_TOPIC_NAMESPACE`), empty for the contract's topic names. */
  namespace: string;
  /** Bootstrap brokers (`KAFKA_BROKERS`, comma-separated; default `127.0.0.1:9092`). */
  brokers: string[];
  /**
   * Consumer group (`BATON_STEP_GROUP`); default the SDK's, which is named after the set of step
   * types, so changing `BATON_STEP_TYPES` changes the group. Pin it to keep a deployment's offsets.
   */
  groupId?: string;
}

/** The default HTTP port of the triage step service. */
export const DEFAULT_PORT = 3100;

/** The service's environment (README.md, "Running it"), checked at boot; the `BATON_LLM_*` variables too (`LLM_ENV`). */
export const TRIAGE_SERVICE_ENV = {
  BATON_STEP_TYPES: { type: 'string', default: '', description: 'comma-separated step types to consume' },
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: DEFAULT_PORT, description: 'HTTP port of /metrics and /health' },
  ...COMMON_ENV,
  BATON_STEP_GROUP: { type: 'string', description: 'consumer group' },
} as const satisfies EnvSchema;

/**
 * Reads the configuration ({@link TRIAGE_SERVICE_ENV}), and checks the LLM variables the drafter reads later.
 * @throws ConfigError naming each malformed variable; Error naming an unknown step type or a bad namespace
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): TriageServiceConfig {
  const e = readEnv(TRIAGE_SERVICE_ENV, env);
  llmConfig(env);
  topicNames(e.BATON_TOPIC_NAMESPACE); // throws naming the namespace when it has characters a topic name may not
  return {
    stepTypes: parseStepTypes(e.BATON_STEP_TYPES),
    port: e.PORT,
    host: e.HOST,
    namespace: e.BATON_TOPIC_NAMESPACE,
    brokers: brokersFromEnv({ KAFKA_BROKERS: e.KAFKA_BROKERS }),
    ...(e.BATON_STEP_GROUP ? { groupId: e.BATON_STEP_GROUP } : {}),
  };
}
