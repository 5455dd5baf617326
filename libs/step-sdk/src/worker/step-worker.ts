import type { Kafka } from 'kafkajs';
import type { SchemaCatalog } from '@baton/avro';
import type { ClaimCheck } from '@baton/claims';
import { ContractNames, type TopicNames, type Wire } from '@baton/contracts';
import {
  ConsumerRunner, ensureTopics, loadTopicPlan, MessageProducer, topicSpecs, UnprocessableMessageError,
  type ConsumedMessage, type TopicPlan,
} from '@baton/kafka';
import { log } from '@baton/observability';
import { AttemptLedger } from './attempt-ledger';
import type { BoundHandler } from './bound-handler';
import { runAttempt, type AttemptResult } from './run-attempt';
import type { StepMetrics } from './step-metrics';

/** Everything a {@link StepWorker} runs with, resolved from the module's options. @internal */
export interface StepWorkerConfig {
  kafka: Kafka;
  catalog: SchemaCatalog;
  topics: TopicNames;
  groupId: string;
  handlers: ReadonlyMap<string, BoundHandler>;
  metrics: StepMetrics;
  worker: string;
  concurrency: number;
  partitionsConsumedConcurrently: number;
  heartbeatIntervalMs: number;
  finishedAttemptsCacheSize: number;
  ensureTopics: boolean;
  topicPlan?: TopicPlan;
  fromBeginning: boolean;
  sessionTimeoutMs?: number;
  onCrash?: (error: Error) => void;
  /** Resolves claim-checked inputs and offloads large outputs (none: inputs stay as sent, outputs are never offloaded). */
  claims?: ClaimCheck;
}

/**
 * The step consumer of one process: one `ConsumerRunner` (eachBatch, explicit commits, DLT) over
 * the step topics of every registered type, one idempotent producer for results and heartbeats.
 * It drops a request for an attempt this process finished or is running (waiting for the running
 * one before its offset may be committed), runs the rest through {@link runAttempt}, and publishes
 * the result before the request's offset is committed.
 */
export class StepWorker {
  private readonly runner: ConsumerRunner<Wire.StepRequest>;
  private readonly producer: MessageProducer;
  private readonly ledger: AttemptLedger;
  /** Results computed but not yet sent (the broker refused them); a retry sends them instead of running the handler again. */
  private readonly unsent = new Map<string, AttemptResult>();
  private readonly topicTypes = new Map<string, string>();
  private starting: Promise<void> | undefined;
  private running = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly config: StepWorkerConfig) {
    for (const type of config.handlers.keys()) this.topicTypes.set(config.topics.step(type), type);
    this.ledger = new AttemptLedger(config.finishedAttemptsCacheSize);
    this.producer = new MessageProducer(config.kafka);
    this.runner = new ConsumerRunner<Wire.StepRequest>({
      kafka: config.kafka,
      groupId: config.groupId,
      topics: [...this.topicTypes.keys()],
      decode: (value) => config.catalog.decode<Wire.StepRequest>(value, ContractNames.StepRequest).value,
      handle: (m) => this.handle(m),
      deadLetters: this.producer,
      concurrency: config.concurrency,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      fromBeginning: config.fromBeginning,
      ...(config.sessionTimeoutMs !== undefined && { sessionTimeoutMs: config.sessionTimeoutMs }),
      ...(config.onCrash && { onCrash: config.onCrash }),
      onDeadLetter: (topic) => config.metrics.outcome(this.topicTypes.get(topic) ?? 'unknown', 'dead_lettered'),
    });
    config.metrics.lagSource = () => this.runner.lag();
  }

  /** The step types served, sorted. */
  get stepTypes(): string[] {
    return [...this.config.handlers.keys()].sort();
  }

  get groupId(): string {
    return this.config.groupId;
  }

  /** True between a successful {@link start} and {@link stop} (the readiness check). */
  isRunning(): boolean {
    return this.running;
  }

  /** Creates missing topics (step topics, their DLTs, the results topic), connects, joins the group. Idempotent. */
  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  /** Leaves the group and disconnects; an unfinished batch is redelivered to another member. Idempotent. */
  stop(): Promise<void> {
    if (!this.starting) return Promise.resolve();
    this.stopping ??= (async () => {
      await this.starting?.catch(() => undefined);
      this.running = false;
      await this.runner.stop();
      await this.producer.disconnect();
      log('info', 'step-worker', 'stopped', { groupId: this.config.groupId });
    })();
    return this.stopping;
  }

  private async doStart(): Promise<void> {
    const { config } = this;
    if (config.ensureTopics) {
      const plan = config.topicPlan ?? loadTopicPlan();
      const result = await ensureTopics(config.kafka, topicSpecs(plan, [...this.topicTypes.keys(), config.topics.stepResults]));
      if (result.created.length > 0) log('info', 'step-worker', 'created topics', { topics: result.created });
    }
    await this.producer.connect();
    await this.runner.start();
    this.running = true;
    log('info', 'step-worker', 'consuming step requests', { groupId: config.groupId, stepTypes: this.stepTypes, worker: config.worker });
  }

  private async handle(m: ConsumedMessage<Wire.StepRequest>): Promise<void> {
    const r = m.value;
    const bound = this.config.handlers.get(r.stepType);
    if (!bound || this.topicTypes.get(m.topic) !== r.stepType) {
      throw new UnprocessableMessageError('UnexpectedStepType', `request ${r.requestId} on topic ${m.topic} is for step type '${r.stepType}', which this worker does not serve on that topic (it serves ${this.stepTypes.join(', ')})`);
    }
    const id = r.requestId;
    const claim = this.ledger.claim(id);
    if (claim.kind !== 'new') {
      this.config.metrics.outcome(r.stepType, 'duplicate');
      log('info', 'step-worker', `duplicate request dropped: attempt ${claim.kind === 'finished' ? 'already finished' : 'running now'} in this process`, { requestId: id, topic: m.topic, offset: m.offset });
      // Wait for the running copy: this message's offset must not be committed before its result is sent.
      if (claim.kind === 'running') await claim.done;
      return;
    }
    try {
      const result = this.unsent.get(id) ?? await runAttempt(this.deps(), bound, m);
      if (result.message) {
        try {
          await this.producer.send([result.message]);
        } catch (error) {
          this.unsent.set(id, result);
          throw error;
        }
      }
      this.unsent.delete(id);
      this.config.metrics.outcome(r.stepType, result.outcome);
      claim.finish();
    } catch (error) {
      claim.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private deps() {
    const { catalog, topics, metrics, worker, heartbeatIntervalMs, claims } = this.config;
    return { catalog, topics, metrics, worker, heartbeatIntervalMs, ...(claims && { claims }), send: (msgs: Parameters<MessageProducer['send']>[0]) => this.producer.send(msgs), now: Date.now };
  }
}
