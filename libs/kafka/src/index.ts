export { createKafka, brokersFromEnv, type KafkaClientOptions } from './client';
export { MessageProducer, type OutgoingMessage } from './producer';
export { ConsumerRunner, type ConsumerRunnerOptions, type ConsumedMessage, type RetryOptions } from './consumer-runner';
export { deadLetter, deadLetterTopicOf, type DeadLetterReason } from './dead-letter';
export { UnprocessableMessageError, isUnprocessable } from './errors';
export { Headers, DeadLetterHeaders, headersToRecord } from './headers';
export { injectTraceHeaders, extractTraceContext } from './trace';
export { ensureTopics, loadTopicPlan, topicSpecs, type TopicSpec, type TopicPlan, type EnsureTopicsResult } from './topics';
export { runLimited } from './limit';
