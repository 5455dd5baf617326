import { loadContracts, topicNames, type TopicNames } from '@baton/contracts';
import { migrate } from '@baton/event-store';
import { createKafka, ensureTopics, loadTopicPlan, MessageProducer, topicSpecs } from '@baton/kafka';
import { freshDatabase, kafkaBrokers, uniqueName, type FreshDatabase } from '@baton/testing';
import type { Kafka } from 'kafkajs';
import type { OrchestratorConfig } from '../config';
import { Orchestrator } from '../orchestrator';

/** A private world for one test file: its own database, topic namespace and consumer group. */
export interface World {
  db: FreshDatabase;
  config: OrchestratorConfig;
  kafka: Kafka;
  producer: MessageProducer;
  topics: TopicNames;
  catalog: ReturnType<typeof loadContracts>;
  close(): Promise<void>;
}

/** Creates the world: a fresh database (migrated), a topic namespace with its fixed topics, a producer. */
export async function createWorld(name: string, stepTypes: string[] = []): Promise<World> {
  const db = await freshDatabase(name);
  const namespace = uniqueName(name).replace(/[^A-Za-z0-9_-]/g, '');
  const config: OrchestratorConfig = {
    databaseUrl: db.url, brokers: kafkaBrokers(), httpPort: 0, host: '127.0.0.1', topicNamespace: namespace, groupId: `${namespace}-orchestrator`,
    instanceId: namespace, migrate: true, projector: true, timerPollMs: 20, poolSize: 10, sessionTimeoutMs: 6000, stuckCheckMs: 0, batch: true, contractPollMs: 1000,
    consumerMaxRetryMs: 300_000, stallReadyMs: 60_000,
  };
  await migrate(db.url);
  const kafka = createKafka({ clientId: `${namespace}-test`, brokers: kafkaBrokers() });
  const topics = topicNames(namespace);
  await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.triggers, topics.stepResults, topics.signals, topics.caseEvents, topics.stepTypeEvents, ...stepTypes.map((t) => topics.step(t))]));
  const producer = new MessageProducer(kafka);
  await producer.connect();
  return {
    db, config, kafka, producer, topics, catalog: loadContracts(),
    async close() {
      await producer.disconnect();
      await db.drop();
    },
  };
}

/** Starts an orchestrator in this process on the world. */
export async function startOrchestrator(world: World): Promise<Orchestrator> {
  const o = await Orchestrator.create(world.config);
  await o.start();
  return o;
}

/** Resolves when `probe` returns a value other than undefined, polling every 100 ms; rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
