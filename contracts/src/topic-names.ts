import { Topics, stepTopic } from './topics';

/** Baton's topic names under one namespace. */
export interface TopicNames {
  readonly triggers: string;
  readonly stepResults: string;
  readonly signals: string;
  readonly caseEvents: string;
  /** `baton.step-type-events`: circuit breaker changes, keyed by step type. */
  readonly stepTypeEvents: string;
  /** `baton.step.<type>` for a step type. */
  step(stepType: string): string;
}

/**
 * The topic names, optionally prefixed by a namespace (`<namespace>.baton.triggers`) so that
 * several Baton installations, or test runs, share one Kafka cluster without seeing each
 * other's messages. Without a namespace they are exactly the names of the contract.
 * @param namespace - letters, digits, `-` and `_`; default `BATON_TOPIC_NAMESPACE` or none
 * @throws Error naming the namespace when it has other characters
 */
export function topicNames(namespace = process.env.BATON_TOPIC_NAMESPACE ?? ''): TopicNames {
  if (namespace && !/^[A-Za-z0-9_-]+$/.test(namespace)) throw new Error(`topic namespace '${namespace}' may hold only letters, digits, '-' and '_'`);
  const p = namespace ? `${namespace}.` : '';
  return Object.freeze({
    triggers: p + Topics.triggers,
    stepResults: p + Topics.stepResults,
    signals: p + Topics.signals,
    caseEvents: p + Topics.caseEvents,
    stepTypeEvents: p + Topics.stepTypeEvents,
    step: (stepType: string) => p + stepTopic(stepType),
  });
}
