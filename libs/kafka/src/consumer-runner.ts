import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { createLogger, retryWithBackoff, RetriesExhaustedError, withLogFields, type BackoffPolicy } from '@baton/observability';
import { consumerLag, type PartitionLag } from './consumer-lag';
import { deadLetter, type DeadLetterReason } from './dead-letter';
import { isUnprocessable } from './errors';
import { headersToRecord } from './headers';
import type { MessageProducer } from './producer';
import { extractTraceContext } from './trace';
import { runLimited } from './limit';
import { StallClock, type PartitionStall } from './stall-clock';

/** A message as a handler sees it: decoded value, raw bytes, headers as strings. */
export interface ConsumedMessage<T> {
  topic: string;
  partition: number;
  /** Kafka offset, a decimal string (int64). */
  offset: string;
  key: string | null;
  value: T;
  raw: Buffer;
  headers: Record<string, string>;
  /** Broker or producer timestamp, epoch ms. */
  timestamp: number;
  /**
   * The context of this message's `process <topic>` CONSUMER span while a handler runs (set by
   * {@link ConsumerRunner}; child of the producer's span carried in the trace headers). What the
   * handler writes on the message's behalf (outbox rows) carries it on, so a case stays one trace.
   */
  traceContext?: Context;
}

/**
 * How a handler that throws a retryable error is retried in place, the message left uncommitted.
 * Retries are always bounded: by `maxAttempts` when set, and by `maxRetryMs` in any case, after
 * which the message is dead-lettered with reason `retries-exhausted`. The bound is a time rather
 * than a count so that a real outage (the database down) holds the partition for minutes instead
 * of emptying it into the dead-letter topic within seconds.
 */
export interface RetryOptions {
  /** First wait, ms; default 200. */
  initialMs?: number;
  /** Longest wait, ms; default 10 000. */
  maxMs?: number;
  /** Attempts before the message is dead-lettered with reason `retries-exhausted`; default unlimited (the time bound applies). */
  maxAttempts?: number;
  /** Longest time one message is retried, from its first failure, ms; default 300 000 (5 minutes). */
  maxRetryMs?: number;
}

/** Default of {@link RetryOptions.maxRetryMs}: 5 minutes. */
export const DEFAULT_MAX_RETRY_MS = 300_000;

/** Options of {@link ConsumerRunner}. */
export interface ConsumerRunnerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Turns a value into T; throwing dead-letters the message (reason `decode`). */
  decode: (value: Buffer, message: KafkaMessage) => T;
  /** Handles one message; an `UnprocessableMessageError` (or an error `nonRetryable` accepts) dead-letters it, any other error is retried. */
  handle: (message: ConsumedMessage<T>) => Promise<void>;
  /**
   * Handles a whole chunk of a partition's batch at once (group commit), in offset order, and
   * returns the messages it left for `handle` (in offset order; they are then handled one at a
   * time, with `handle`'s retries and dead-lettering). It must leave, with a message it cannot
   * take, every later message of the same key. Throwing leaves the whole chunk to `handle`.
   * Without it every message goes to `handle`.
   */
  handleBatch?: (messages: ConsumedMessage<T>[]) => Promise<ConsumedMessage<T>[]>;
  /** Messages per `handleBatch` call at most; default 250. */
  maxBatchSize?: number;
  /** Classifies errors no retry can fix (e.g. a database refusing the data itself): dead-lettered at once with reason `unprocessable`. */
  nonRetryable?: (error: Error) => boolean;
  /** Producer used to write `<topic>.dlt`. */
  deadLetters: MessageProducer;
  /** Distinct keys processed at once within a batch; one key's messages stay in order. Default 8. */
  concurrency?: number;
  /** Partitions whose batches are processed at once; default 2. */
  partitionsConsumedConcurrently?: number;
  retry?: RetryOptions;
  fromBeginning?: boolean;
  /** Session timeout, ms; default 30 000. */
  sessionTimeoutMs?: number;
  /**
   * Longest time {@link ConsumerRunner.stop} lets the batches in hand run on, ms; default 10 000.
   * Until then every message already fetched is handled and the batch committed whole; after it
   * no further message is started and the offsets of what was handled are committed.
   */
  stopTimeoutMs?: number;
  /**
   * Called when the consumer is lost for good: kafkajs crashed and will not restart it, or it has
   * restarted it for longer than `crashGraceMs` without the consumer joining its group again.
   * Default: one log line, then `process.exit(1)` so a supervisor restarts the process.
   */
  onCrash?: (error: Error) => void;
  /**
   * How long crashes that kafkajs recovers from itself (a retriable error: the broker restarting,
   * a leader moving) are ridden out before `onCrash`, ms from the first crash since the consumer
   * last joined its group; default 120 000. Readiness reports not-ready meanwhile.
   */
  crashGraceMs?: number;
  /** Observes every dead-lettered message (metrics). */
  onDeadLetter?: (topic: string, reason: DeadLetterReason, error: Error) => void;
}

const tracer = trace.getTracer('@baton/kafka');
const logger = createLogger('consumer');

/**
 * Consumes topics with `eachBatch` and explicit commits (see FIELD-NOTES, kafkajs): within a
 * batch, messages are grouped by key and keys run with bounded concurrency; the offset after
 * the batch is committed only when every message is handled or dead-lettered. Delivery is
 * at-least-once; handlers make redelivery harmless (the orchestrator's inbox).
 */
export class ConsumerRunner<T> {
  private readonly consumer: Consumer;
  private stopping = false;
  /** Set when the stop timeout ran out: no message is started any more. */
  private abandoned = false;
  private joined = false;
  private readonly clock = new StallClock();
  private admin: Promise<Admin> | null = null;

  constructor(private readonly options: ConsumerRunnerOptions<T>) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: Math.min(3000, Math.floor((options.sessionTimeoutMs ?? 30000) / 3)),
      maxWaitTimeInMs: 100,
    });
  }

  /** Joins the group and starts consuming; resolves once the consumer runs (not when it stops). */
  async start(): Promise<void> {
    const { consumer, options } = this;
    let crashingSince: number | null = null;
    consumer.on(consumer.events.GROUP_JOIN, () => { this.joined = true; crashingSince = null; });
    consumer.on(consumer.events.REBALANCING, () => { this.joined = false; });
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      if (this.stopping) return;
      const error = event.payload.error;
      crashingSince ??= Date.now();
      if (event.payload.restart && Date.now() - crashingSince < (options.crashGraceMs ?? 120_000)) {
        // kafkajs restarts the consumer itself (a retriable error: the broker restarting, say).
        logger.warn({ groupId: options.groupId }, `consumer crashed, kafkajs restarts it: ${error.name}: ${error.message}`);
        return;
      }
      const onCrash = options.onCrash ?? ((e: Error) => {
        logger.fatal({ groupId: options.groupId }, `consumer crashed, exiting: ${e.name}: ${e.message}`);
        process.exit(1);
      });
      onCrash(error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 2,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** True once the consumer joined its group, until it crashes or stops: what readiness reports. */
  isRunning(): boolean {
    return this.joined && !this.stopping;
  }

  /**
   * Partitions holding a message in handling, with how long the oldest has been in it (seconds):
   * what `baton_consumer_stalled_seconds{topic,partition}` reports.
   */
  stalls(): PartitionStall[] {
    return this.clock.stalls();
  }

  /** True when some partition has held one message longer than `ms`: readiness reports it. */
  isStalled(ms: number): boolean {
    return this.clock.stalls().some((s) => s.seconds * 1000 > ms);
  }

  /**
   * This group's lag on its topics, per partition (`baton_consumer_lag`); an admin client connects
   * on first use and is closed by {@link ConsumerRunner.stop}.
   * @throws kafkajs errors when the broker cannot be reached
   */
  async lag(): Promise<PartitionLag[]> {
    this.admin ??= (async () => {
      const admin = this.options.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => { this.admin = null; throw error; });
    return consumerLag(await this.admin, this.options.groupId, this.options.topics);
  }

  /**
   * Stops cleanly (SIGTERM): fetches nothing more, lets the batches in hand finish within
   * `stopTimeoutMs` (their retries of a failing message end at once), commits the offsets of every
   * message handled, then leaves the group. A message handled before a clean stop is not
   * redelivered; one not handled (the timeout ran out, or it was failing) is, to the next owner.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const bound = setTimeout(() => { this.abandoned = true; }, this.options.stopTimeoutMs ?? 10_000);
    try {
      await this.consumer.disconnect();
    } finally {
      clearTimeout(bound);
    }
    const admin = this.admin;
    this.admin = null;
    if (admin) await admin.then((a) => a.disconnect(), () => undefined);
    this.clock.clear();
  }

  /**
   * Handles a batch and commits it: the offset after the batch when every message was handled or
   * dead-lettered; when a stop cut it short, the offset after the last message of the unbroken run
   * of handled ones from the batch's start. Nothing is committed when the batch went stale (a
   * rebalance) or kafkajs stopped the consumer for any reason but {@link ConsumerRunner.stop}.
   */
  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const progress: BatchProgress = { done: new Set(), complete: true };
    if (this.options.handleBatch) await this.inChunks(payload, progress);
    else await this.oneByOne(payload, batch.messages, progress);
    if (isStale() || batch.messages.length === 0 || (!isRunning() && !this.stopping)) return;
    const through = progress.complete ? batch.lastOffset() : handledThrough(batch.messages, progress.done);
    if (through === null) return;
    resolveOffset(through);
    const offset = (BigInt(through) + 1n).toString();
    // kafkajs's consumer.commitOffsets does nothing once stop() began; the batch's own commit still reaches the group.
    if (isRunning()) await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
    else await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }] });
    if (isRunning()) await heartbeat();
  }

  /** True while messages may be started: not after the stop timeout, a rebalance, or a stop kafkajs made on its own. */
  private proceeding({ isRunning, isStale }: EachBatchPayload): boolean {
    return !this.abandoned && !isStale() && (isRunning() || this.stopping);
  }

  /**
   * Decodes the batch (dead-lettering what does not decode), hands it to `handleBatch` in chunks,
   * then handles what each chunk left one at a time. A rebalance thrown by `handleBatch` leaves
   * the batch uncommitted, like one from `handle`.
   */
  private async inChunks(payload: EachBatchPayload, progress: BatchProgress): Promise<void> {
    const { batch, heartbeat } = payload;
    const size = this.options.maxBatchSize ?? 250;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!this.proceeding(payload)) { progress.complete = false; return; }
      const originals = new Map<string, KafkaMessage>();
      const decoded: ConsumedMessage<T>[] = [];
      for (const m of batch.messages.slice(i, i + size)) {
        const message = await this.decodeOne(batch.topic, batch.partition, m);
        if (message) { decoded.push(message); originals.set(m.offset, m); } else progress.done.add(m.offset);
      }
      if (decoded.length === 0) continue;
      const done = this.clock.begin(batch.topic, batch.partition);
      let left: ConsumedMessage<T>[];
      try {
        left = await this.tracedBatch(batch.topic, decoded);
      } catch (error) {
        const failure = asError(error);
        if (isRebalancing(failure)) throw failure;
        logger.warn({ groupId: this.options.groupId, topic: batch.topic, partition: batch.partition, messages: decoded.length }, `the batch failed, handling its messages one at a time: ${failure.name}: ${failure.message}`);
        left = decoded;
      } finally {
        done();
      }
      const leftOffsets = new Set(left.map((m) => m.offset));
      for (const m of decoded) if (!leftOffsets.has(m.offset)) progress.done.add(m.offset);
      if (payload.isRunning()) await heartbeat();
      await this.oneByOne(payload, left.map((m) => originals.get(m.offset)!), progress);
    }
  }

  /** Handles messages one at a time: grouped by key, keys with bounded concurrency, one key's messages in order. */
  private async oneByOne(payload: EachBatchPayload, list: readonly KafkaMessage[], progress: BatchProgress): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const groups = new Map<string, KafkaMessage[]>();
    for (const m of list) {
      const k = m.key ? `k:${m.key.toString('base64')}` : `offset:${m.offset}`;
      const list = groups.get(k) ?? [];
      list.push(m);
      groups.set(k, list);
    }
    await runLimited([...groups.values()], this.options.concurrency ?? 8, async (messages) => {
      for (const m of messages) {
        if (!this.proceeding(payload)) { progress.complete = false; return; }
        const done = this.clock.begin(batch.topic, batch.partition);
        try {
          // While stopping, the heartbeat is left to kafkajs: the member is leaving.
          await this.processOne(batch.topic, batch.partition, m, () => (isRunning() ? heartbeat() : Promise.resolve()), () => isRunning() && !isStale());
          progress.done.add(m.offset);
        } catch (error) {
          // A failing message met by a stop stays unhandled: this key stops here, the others go on.
          if (!this.stopping || isStale()) throw error;
          progress.complete = false;
          return;
        } finally {
          done();
        }
      }
    });
  }

  /** The message as a handler sees it, or `null` when it does not decode (then it is dead-lettered, reason `decode`). */
  private async decodeOne(topic: string, partition: number, m: KafkaMessage): Promise<ConsumedMessage<T> | null> {
    const raw = m.value ?? Buffer.alloc(0);
    let value: T;
    try {
      if (m.value === null) throw new Error('the message has no value (tombstone)');
      value = this.options.decode(raw, m);
    } catch (error) {
      await this.deadLetter(topic, partition, m, 'decode', asError(error));
      return null;
    }
    return {
      topic, partition, offset: m.offset, key: m.key ? m.key.toString('utf8') : null,
      value, raw, headers: headersToRecord(m.headers), timestamp: Number(m.timestamp),
    };
  }

  /**
   * Handles one message, retrying a retryable failure in place. `heartbeat()` is never caught:
   * during a rebalance it throws, and that must leave `eachBatch` so kafkajs can rejoin the group
   * (the batch stays uncommitted and is redelivered to whoever owns the partition next).
   */
  private async processOne(topic: string, partition: number, m: KafkaMessage, heartbeat: () => Promise<void>, current: () => boolean): Promise<void> {
    const message = await this.decodeOne(topic, partition, m);
    if (!message) return;
    const retry = this.options.retry ?? {};
    const policy: BackoffPolicy = { initialMs: retry.initialMs ?? 200, maxMs: retry.maxMs ?? 10000, maxRetryMs: retry.maxRetryMs ?? DEFAULT_MAX_RETRY_MS, ...(retry.maxAttempts !== undefined && { maxAttempts: retry.maxAttempts }) };
    try {
      await retryWithBackoff(async () => { await this.traced(message); await heartbeat(); }, policy, {
        // Stopping, or the partition moved to another member: leave the message uncommitted for it.
        shouldRetry: (failure) => !isRebalancing(failure) && !this.isPermanent(failure) && current(),
        onRetry: ({ error, attempt, waitMs }) => logger.warn({ groupId: this.options.groupId, topic, partition, offset: m.offset, attempt, retryInMs: waitMs }, `${error.name}: ${error.message}`),
        afterWait: heartbeat,
      });
    } catch (error) {
      if (error instanceof RetriesExhaustedError) { await this.deadLetter(topic, partition, m, 'retries-exhausted', withContext(error.cause, error.note)); return; }
      const failure = asError(error);
      if (this.isPermanent(failure) && !isRebalancing(failure)) { await this.deadLetter(topic, partition, m, 'unprocessable', failure); return; }
      throw failure;
    }
  }

  private isPermanent(error: Error): boolean {
    return isUnprocessable(error) || (this.options.nonRetryable?.(error) ?? false);
  }

  /**
   * `handleBatch` in one `process <topic> batch` span, linked to no single parent since a batch
   * mixes many traces, and one `process <topic>` span per message, child of its producer's span
   * (so each case's trace shows the handling), linked to the batch span.
   */
  private async tracedBatch(topic: string, messages: ConsumedMessage<T>[]): Promise<ConsumedMessage<T>[]> {
    const batch = tracer.startSpan(`process ${topic} batch`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka', 'messaging.operation': 'process', 'messaging.destination.name': topic,
        'messaging.kafka.consumer.group': this.options.groupId, 'messaging.batch.message_count': messages.length,
        'messaging.kafka.destination.partition': messages[0]!.partition,
      },
    });
    const spans = messages.map((m) => {
      const parent = extractTraceContext(m.headers);
      const span = tracer.startSpan(`process ${topic}`, { kind: SpanKind.CONSUMER, attributes: this.attributes(m), links: [{ context: batch.spanContext() }] }, parent);
      m.traceContext = trace.setSpan(parent, span);
      return span;
    });
    try {
      return await inSpan(context.active(), batch, () => this.options.handleBatch!(messages));
    } finally {
      // A message the batch left is handled again by `handle`, in a span of its own.
      for (const span of spans) span.end();
    }
  }

  /** The messaging semantic conventions' attributes of one consumed message. */
  private attributes(message: ConsumedMessage<T>): Record<string, string | number> {
    return {
      'messaging.system': 'kafka',
      'messaging.operation': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': message.topic,
      'messaging.kafka.consumer.group': this.options.groupId,
      'messaging.consumer.group.name': this.options.groupId,
      'messaging.kafka.message.key': message.key ?? '',
      'messaging.kafka.offset': Number(message.offset),
      'messaging.kafka.destination.partition': message.partition,
    };
  }

  private traced(message: ConsumedMessage<T>): Promise<void> {
    const parent = extractTraceContext(message.headers);
    const span = tracer.startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes: this.attributes(message) }, parent);
    message.traceContext = trace.setSpan(parent, span);
    // Baton keys every message by its case id: each line logged while handling it names the case.
    return withLogFields(message.key === null ? {} : { caseId: message.key }, () => inSpan(parent, span, () => this.options.handle(message)));
  }

  private async deadLetter(topic: string, partition: number, m: KafkaMessage, reason: DeadLetterReason, error: Error): Promise<void> {
    await deadLetter(this.options.deadLetters, { topic, partition, message: m, groupId: this.options.groupId, reason, error });
    this.options.onDeadLetter?.(topic, reason, error);
  }
}

/** What a batch got through: the offsets handled or dead-lettered, and whether that is all of them. */
interface BatchProgress {
  done: Set<string>;
  complete: boolean;
}

/** The offset of the last message of the unbroken run of handled ones from the batch's start, or `null` when its first is not handled. */
function handledThrough(messages: readonly KafkaMessage[], done: ReadonlySet<string>): string | null {
  let through: string | null = null;
  for (const m of messages) {
    if (!done.has(m.offset)) break;
    through = m.offset;
  }
  return through;
}

/** Runs `fn` with `span` active under `parent`, records its error on the span, and ends the span. */
function inSpan<R>(parent: Context, span: Span, fn: () => Promise<R>): Promise<R> {
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(asError(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** kafkajs's errors for a group that is rebalancing or a member that left it: never a handler failure. */
function isRebalancing(error: Error): boolean {
  const type = (error as { type?: string }).type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'UNKNOWN_MEMBER_ID' || type === 'ILLEGAL_GENERATION' || /rebalanc/i.test(error.message);
}

/** The error with `note` after its message, same name (the dead-letter headers carry both). */
function withContext(error: Error, note: string): Error {
  const e = new Error(`${error.message} (${note})`, { cause: error });
  e.name = error.name;
  return e;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
