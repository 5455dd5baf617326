/**
 * What the triage step service reads from its environment, once at start-up.
 */
import { envHost } from '@baton/observability';
import { topicNames } from '@baton/contracts';
import { brokersFromEnv } from '@baton/kafka';
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

/**
 * Reads the configuration.
 * @throws Error naming the variable when a value is malformed (an unknown step type, a bad port or namespace)
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): TriageServiceConfig {
  const rawPort = env.PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got '${env.PORT}'`);
  const namespace = env.BATON_TOPIC_NAMESPACE?.trim() ?? '';
  topicNames(namespace); // throws naming the namespace when it has characters a topic name may not
  return {
    stepTypes: parseStepTypes(env.BATON_STEP_TYPES),
    port,
    host: envHost(env),
    namespace,
    brokers: brokersFromEnv(env),
    ...(env.BATON_STEP_GROUP?.trim() ? { groupId: env.BATON_STEP_GROUP.trim() } : {}),
  };
}
