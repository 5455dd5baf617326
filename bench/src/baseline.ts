import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { StepId } from './workload';

/** One round trip of the baseline: the step it stood for and how long ping -> pong took, ms. */
export interface RawRoundTrip { step: StepId; ms: number }

/** One baseline case: when it started and ended (epoch ms, µs precision) and its round trips. */
export interface RawCase { key: string; requestedAt: number; completedAt: number; roundTrips: RawRoundTrip[] }

const FILLER = 'x'.repeat(200);
const now = (): number => performance.timeOrigin + performance.now();

/**
 * The baseline originator, in the benchmark's process: plain kafkajs, no Baton code. It sends a
 * small message (key: the case key, about the size of a step request) to the ping topic; the echo
 * child process (another consumer group) answers on the pong topic; the originator's own consumer
 * matches the answer and times the round trip. {@link runCase} chains round trips in the shape of
 * the Baton workflow, a -> b -> c -> (d | e), with the originator standing in for the orchestrator:
 * the same messages on the critical path, minus everything Baton adds.
 */
export class RawRoundTrips {
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly pending = new Map<string, (at: number) => void>();

  constructor(kafka: Kafka, private readonly topics: { ping: string; pong: string }, groupId: string) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  }

  /** Connects and joins the pong topic's group; resolves once it is assigned its partitions. */
  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.pong], fromBeginning: true });
    const joined = new Promise<void>((r) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => r()));
    await this.consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset }) => {
        const at = now();
        for (const m of batch.messages) {
          const text = m.value?.toString('utf8') ?? '';
          const id = text.slice(0, text.indexOf('|'));
          this.pending.get(id)?.(at);
          this.pending.delete(id);
        }
        if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect()]);
  }

  /** One ping -> pong round trip for `step` of case `key`; resolves with its duration, ms. */
  async roundTrip(key: string, step: StepId): Promise<RawRoundTrip> {
    const id = `${key}/${step}`;
    const sentAt = now();
    const answered = new Promise<number>((r) => this.pending.set(id, r));
    await this.producer.send({ topic: this.topics.ping, acks: -1, messages: [{ key, value: `${id}|${FILLER}` }] });
    return { step, ms: (await answered) - sentAt };
  }

  /** A case of the workflow's shape: a, b, c one after the other, then d and e at once. */
  async runCase(key: string): Promise<RawCase> {
    const requestedAt = now();
    const trips: RawRoundTrip[] = [];
    for (const step of ['a', 'b', 'c'] as const) trips.push(await this.roundTrip(key, step));
    trips.push(...(await Promise.all([this.roundTrip(key, 'd'), this.roundTrip(key, 'e')])));
    return { key, requestedAt, completedAt: now(), roundTrips: trips };
  }
}
