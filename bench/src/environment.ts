import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { Kafka } from 'kafkajs';
import type { SchemaCatalog } from '@baton/avro';
import { loadContracts, stepTopic, Topics, topicNames, type TopicNames } from '@baton/contracts';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { migrate } from '@baton/event-store';
import { brokersFromEnv, createKafka, deadLetterTopicOf, ensureTopics, loadTopicPlan, MessageProducer, type TopicSpec } from '@baton/kafka';
import { migrateProjections } from '@baton/projections';
import { freshDatabase, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { RawRoundTrips } from './baseline';
import type { HandledAt } from './worker/noop.step';
import { benchWorkflow } from './workload';

/** Everything one benchmark run uses: its own database and topic namespace, and the processes under test. */
export interface BenchEnvironment {
  db: FreshDatabase;
  /** The benchmark's own connections (owner role, `application_name` `baton-bench`). */
  pool: Pool;
  namespace: string;
  topics: TopicNames;
  catalog: SchemaCatalog;
  kafka: Kafka;
  /** Sends the triggers: the project's idempotent producer, as an upstream system would use. */
  producer: MessageProducer;
  /** The first orchestrator (the one running the projector). */
  orchestrator: ServiceProcess;
  /** Every orchestrator process (two with `--scale-out`), one consumer group. */
  orchestrators: ServiceProcess[];
  /** The first step worker. */
  worker: ServiceProcess;
  /** Every step worker process (two with `--scale-out`), one consumer group. */
  workers: ServiceProcess[];
  echo: ServiceProcess;
  raw: RawRoundTrips;
  /** Stops the workers and returns when their handlers ran each attempt. Idempotent. */
  stopWorker(): Promise<HandledAt[]>;
  /** Stops every process, drops the database, deletes the namespace's topics. Never throws. */
  close(): Promise<void>;
}

export const BENCH_APPLICATION_NAME = 'baton-bench';

/** How many orchestrator and step worker processes to run; one each by default. */
export interface EnvironmentShape { orchestrators: number; workers: number }

/** The instance id (`BATON_INSTANCE_ID`, written into each event's metadata as `writer`) of orchestrator `i`. */
export const orchestratorInstance = (i: number): string => `bench-orchestrator-${i + 1}`;

/**
 * Creates a fresh database (migrated, the workflow registered), the namespace's topics with the
 * partition counts of `deploy/topics.json` (looked up by their un-namespaced names, as deployed),
 * then starts the orchestrators, the SDK step workers and the baseline's echo as child processes.
 * With several orchestrators they share the consumer groups (the partitions spread over them) and
 * only the first runs the projector; the workers share the SDK's group.
 * @param progress - called with a line for each stage
 */
export async function createEnvironment(progress: (line: string) => void, shape: EnvironmentShape = { orchestrators: 1, workers: 1 }): Promise<BenchEnvironment> {
  const db = await freshDatabase('bench');
  const namespace = uniqueName('bench').replace(/[^A-Za-z0-9_-]/g, '');
  const scratch = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const started: ServiceProcess[] = [];
  const pool = new Pool({ connectionString: db.url, application_name: BENCH_APPLICATION_NAME, max: 2 });
  const kafka = createKafka({ clientId: `${namespace}-bench` });
  const topics = topicNames(namespace);
  const raw = new RawRoundTrips(kafka, { ping: `${namespace}.bench.ping`, pong: `${namespace}.bench.pong` }, `${namespace}-origin`);
  const producer = new MessageProducer(kafka);
  const env = {
    BATON_TOPIC_NAMESPACE: namespace, KAFKA_BROKERS: brokersFromEnv().join(','), DATABASE_URL: db.url, PORT: '0',
  };
  const orchestrators = Array.from({ length: shape.orchestrators }, (_, i) => new ServiceProcess('services/orchestrator/src/main.ts', {
    ...env, BATON_PROJECTOR: String(i === 0), BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_INSTANCE_ID: orchestratorInstance(i),
  }));
  const timesFiles = Array.from({ length: shape.workers }, (_, i) => join(scratch, `worker-times-${i + 1}.json`));
  const workers = timesFiles.map((file) => new ServiceProcess('bench/src/worker/main.ts', { ...env, BENCH_WORKER_TIMES: file }));
  const echo = new ServiceProcess('bench/src/echo/main.ts', {
    ...env, BENCH_PING_TOPIC: `${namespace}.bench.ping`, BENCH_PONG_TOPIC: `${namespace}.bench.pong`, BENCH_ECHO_GROUP: `${namespace}-echo`,
  });
  let handled: HandledAt[] | undefined;
  const stopWorker = async (): Promise<HandledAt[]> => {
    if (handled) return handled;
    await Promise.all(workers.map((w) => w.stop()));
    handled = timesFiles.flatMap((file) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HandledAt[]) : []));
    return handled;
  };
  const close = async (): Promise<void> => {
    const quietly = (p: Promise<unknown>) => p.catch((e: Error) => process.stderr.write(`bench: cleaning up: ${e.message}\n`));
    await quietly(stopWorker());
    for (const p of [...started].reverse()) await quietly(p.stop());
    await quietly(raw.stop());
    await quietly(producer.disconnect());
    await quietly(pool.end());
    await quietly(db.drop());
    await quietly(deleteTopics(kafka, namespace));
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    progress(`database ${db.name}, topic namespace ${namespace}`);
    await migrate(db.url);
    await migrateDefinitions(db.url);
    await migrateProjections(db.url);
    await new DefinitionRegistry(pool).register(benchWorkflow());
    await ensureTopics(kafka, deployedSpecs(namespace));
    await producer.connect();
    progress(`starting ${shape.orchestrators} orchestrator(s), ${shape.workers} step worker(s) and the echo responder (child processes)`);
    for (const p of [...orchestrators, ...workers, echo]) {
      started.push(p);
      await p.start(120000);
    }
    await raw.start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db, pool, namespace, topics, catalog: loadContracts(), kafka, producer,
    orchestrator: orchestrators[0]!, orchestrators, worker: workers[0]!, workers, echo, raw, stopWorker, close,
  };
}

/**
 * The namespace's topics with the partition counts `deploy/topics.json` gives their un-namespaced
 * names (the plan's keys are the contract's names, so a namespaced name would fall back to the
 * default count), plus the baseline's ping (as many partitions as a step topic) and pong (as
 * many as `baton.step-results`) topics.
 */
function deployedSpecs(namespace: string): TopicSpec[] {
  const plan = loadTopicPlan();
  const count = (name: string) => plan.topics[name] ?? plan.defaultPartitions;
  const noop = stepTopic('noop');
  const topics: [string, number][] = [
    [Topics.triggers, count(Topics.triggers)], [Topics.stepResults, count(Topics.stepResults)], [Topics.signals, count(Topics.signals)],
    [Topics.caseEvents, count(Topics.caseEvents)], [noop, plan.topics[noop] ?? plan.stepTopicPartitions],
    ['bench.ping', plan.stepTopicPartitions], ['bench.pong', count(Topics.stepResults)],
  ];
  return topics.flatMap(([name, partitions]) => [
    { topic: `${namespace}.${name}`, partitions },
    { topic: deadLetterTopicOf(`${namespace}.${name}`), partitions: plan.deadLetterPartitions },
  ]);
}

/** Deletes every topic of the namespace (the broker's `delete.topic.enable` is on by default). */
async function deleteTopics(kafka: Kafka, namespace: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10000 });
  } finally {
    await admin.disconnect();
  }
}
