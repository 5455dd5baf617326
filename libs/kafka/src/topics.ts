import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { deadLetterTopicOf } from './dead-letter';

/** A topic to create: its partition count and optional topic-level configs (`retention.ms`, ...). */
export interface TopicSpec {
  topic: string;
  partitions: number;
  config?: Record<string, string>;
}

/** Partition counts from configuration (`deploy/topics.json`, overridable with `BATON_TOPICS_FILE`). */
export interface TopicPlan {
  defaultPartitions: number;
  deadLetterPartitions: number;
  stepTopicPartitions: number;
  topics: Record<string, number>;
}

/** What {@link ensureTopics} found and did. */
export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics with another partition count than configured; left as they are, since repartitioning moves keys. */
  mismatched: { topic: string; configured: number; actual: number }[];
}

/**
 * Reads the topic plan.
 * @param file - JSON file path; default `BATON_TOPICS_FILE` or `deploy/topics.json` under the repository root.
 * @throws Error naming the file and the field when a count is not a positive integer.
 */
export function loadTopicPlan(file = process.env.BATON_TOPICS_FILE ?? resolve(__dirname, '../../../deploy/topics.json')): TopicPlan {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<TopicPlan>;
  const positive = (v: unknown, field: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${file}: field '${field}' must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const topics: Record<string, number> = {};
  for (const [t, n] of Object.entries(json.topics ?? {})) topics[t] = positive(n, `topics.${t}`);
  return {
    defaultPartitions: positive(json.defaultPartitions ?? 3, 'defaultPartitions'),
    deadLetterPartitions: positive(json.deadLetterPartitions ?? 1, 'deadLetterPartitions'),
    stepTopicPartitions: positive(json.stepTopicPartitions ?? json.defaultPartitions ?? 3, 'stepTopicPartitions'),
    topics,
  };
}

/**
 * The specs for `topics` and their dead-letter topics, with partition counts from `plan`. A topic
 * under a namespace (`<ns>.baton.triggers`) takes the count configured for its contract name.
 */
export function topicSpecs(plan: TopicPlan, topics: string[]): TopicSpec[] {
  const specs: TopicSpec[] = [];
  const configured = (topic: string): number | undefined =>
    plan.topics[topic] ?? Object.entries(plan.topics).find(([name]) => topic.endsWith(`.${name}`))?.[1];
  for (const topic of topics) {
    const partitions = configured(topic) ?? (topic.includes('baton.step.') ? plan.stepTopicPartitions : plan.defaultPartitions);
    specs.push({ topic, partitions });
    specs.push({ topic: deadLetterTopicOf(topic), partitions: plan.deadLetterPartitions });
  }
  return specs;
}

/**
 * Creates the topics that do not exist yet, through the admin client (the broker's auto-creation
 * is off), and waits for their leaders. Safe to call from many processes at once.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existingNames = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existingNames.has(s.topic));
    const created: string[] = [];
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: s.topic,
            numPartitions: s.partitions,
            replicationFactor: 1,
            configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // Another process may have created some of them between listTopics and createTopics.
        if (!String((error as Error).message).includes('already exists')) throw error;
      }
      created.push(...missing.map((s) => s.topic));
    }
    const present = specs.filter((s) => existingNames.has(s.topic));
    const mismatched: EnsureTopicsResult['mismatched'] = [];
    if (present.length > 0) {
      const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
      for (const t of meta.topics) {
        const spec = present.find((s) => s.topic === t.name);
        if (spec && t.partitions.length !== spec.partitions) mismatched.push({ topic: t.name, configured: spec.partitions, actual: t.partitions.length });
      }
    }
    return { created, existing: present.map((s) => s.topic), mismatched };
  } finally {
    await admin.disconnect();
  }
}
