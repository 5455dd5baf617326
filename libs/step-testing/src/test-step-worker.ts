import { randomUUID } from 'node:crypto';
import type { DecodedMessage, SchemaCatalog } from '@baton/avro';
import { ContractNames, stepContract, type TopicNames, type Wire } from '@baton/contracts';
import { ConsumerRunner, MessageProducer, type ConsumedMessage } from '@baton/kafka';
import type { Kafka } from 'kafkajs';
import { uniqueName } from '@baton/testing';

/** A request as the test worker saw it, input decoded. */
export interface SeenRequest { caseId: string; stepId: string; stepType: string; attempt: number; input: unknown; params: unknown; at: number }

/** What a behaviour makes of a request: an output (with optional model metering), a failure, or silence (the attempt will time out). */
export type Reply =
  | { output: unknown; metering?: { model: string; inputTokens: number; outputTokens: number; costUsd: number } }
  | { fail: { name: string; message?: string; retryable: boolean } }
  | 'silence';

/**
 * A minimal step consumer for tests of the orchestrator, gateway and CLI (the step SDK is tested on
 * its own): reads step requests of the given types and answers each with what `behaviour` says.
 */
export class TestStepWorker {
  readonly seen: SeenRequest[] = [];
  /** Errors of replies sent detached (`options.detached`); empty when every reply went out. */
  readonly replyErrors: unknown[] = [];
  private readonly runner: ConsumerRunner<DecodedMessage>;
  private readonly producer: MessageProducer;

  /**
   * @param options.detached - answer each request without holding its partition: the next request
   *   is read while earlier ones are still being answered, so as many requests run at once as
   *   the orchestrator sends (a fan-out's concurrency limit is then the orchestrator's, measurable here)
   */
  constructor(kafka: Kafka, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames, stepTypes: string[], private readonly behaviour: (r: SeenRequest) => Reply | Promise<Reply>, private readonly options: { detached?: boolean } = {}) {
    this.producer = new MessageProducer(kafka);
    this.runner = new ConsumerRunner<DecodedMessage>({
      kafka, groupId: uniqueName('test-worker'), topics: stepTypes.map((t) => topics.step(t)), fromBeginning: true,
      decode: (b) => catalog.decode(b), deadLetters: this.producer, concurrency: 32, partitionsConsumedConcurrently: 3,
      handle: (m) => this.onRequest(m),
      onCrash: (e) => { throw e; },
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.producer.disconnect();
  }

  private async onRequest(m: ConsumedMessage<DecodedMessage>): Promise<void> {
    const r = m.value.value as Wire.StepRequest;
    const contract = stepContract(this.catalog, r.stepType);
    const seen: SeenRequest = {
      caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt,
      input: JSON.parse(JSON.stringify(this.catalog.decode(r.input, contract.inputName).value)), params: JSON.parse(r.params), at: Date.now(),
    };
    this.seen.push(seen);
    if (this.options.detached) {
      this.answer(r, seen).catch((e: unknown) => this.replyErrors.push(e));
      return;
    }
    await this.answer(r, seen);
  }

  private async answer(r: Wire.StepRequest, seen: SeenRequest): Promise<void> {
    const contract = stepContract(this.catalog, r.stepType);
    const reply = await this.behaviour(seen);
    if (reply === 'silence') return;
    const common = { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, startedAt: seen.at, finishedAt: Date.now(), worker: 'test-worker' };
    const value = 'output' in reply
      ? this.catalog.encode(ContractNames.StepCompleted, {
        ...common, output: this.catalog.encode(contract.outputName, reply.output),
        metering: reply.metering ? { ...reply.metering, modelVersion: null } : null,
      })
      : this.catalog.encode(ContractNames.StepFailed, { ...common, error: { name: reply.fail.name, message: reply.fail.message ?? reply.fail.name, retryable: reply.fail.retryable, details: null } });
    await this.producer.send([{ topic: this.topics.stepResults, key: r.caseId, value }]);
  }
}
