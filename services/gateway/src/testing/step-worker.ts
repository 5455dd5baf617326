import { randomUUID } from 'node:crypto';
import type { DecodedMessage, SchemaCatalog } from '@baton/avro';
import { ContractNames, stepContract, type StepRequest, type TopicNames } from '@baton/contracts';
import { ConsumerRunner, MessageProducer, type ConsumedMessage } from '@baton/kafka';
import { uniqueName } from '@baton/testing';
import type { Kafka } from 'kafkajs';

/** A step request as the worker saw it, input decoded. */
export interface SeenRequest { caseId: string; stepId: string; stepType: string; attempt: number; input: unknown }

/** An output (with optional model metering), a failure, or silence (the attempt times out). */
export type Reply =
  | { output: unknown; metering?: { model: string; inputTokens: number; outputTokens: number; costUsd: number } }
  | { fail: { name: string; message?: string; retryable: boolean } }
  | 'silence';

/**
 * A minimal step consumer for the gateway's end-to-end tests (the step SDK is tested on its own):
 * reads the requests of the given step types and answers each with what `behaviour` says.
 */
export class StepWorker {
  readonly seen: SeenRequest[] = [];
  private readonly runner: ConsumerRunner<DecodedMessage>;
  private readonly producer: MessageProducer;

  constructor(kafka: Kafka, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames, stepTypes: string[], private readonly behaviour: (r: SeenRequest) => Reply) {
    this.producer = new MessageProducer(kafka);
    this.runner = new ConsumerRunner<DecodedMessage>({
      kafka, groupId: uniqueName('gw-worker'), topics: stepTypes.map((t) => topics.step(t)), fromBeginning: true,
      decode: (b) => catalog.decode(b), deadLetters: this.producer, concurrency: 16, partitionsConsumedConcurrently: 3,
      handle: (m) => this.onRequest(m),
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
    const r = m.value.value as StepRequest;
    const contract = stepContract(this.catalog, r.stepType);
    const seen: SeenRequest = { caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, input: JSON.parse(JSON.stringify(this.catalog.decode(r.input, contract.inputName).value)) };
    this.seen.push(seen);
    const startedAt = Date.now();
    const reply = this.behaviour(seen);
    if (reply === 'silence') return;
    const common = { resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt, startedAt, finishedAt: Date.now() + 5, worker: 'gateway-e2e' };
    const value = 'output' in reply
      ? this.catalog.encode(ContractNames.StepCompleted, {
        ...common, output: this.catalog.encode(contract.outputName, reply.output),
        metering: reply.metering ? { ...reply.metering, modelVersion: null } : null,
      })
      : this.catalog.encode(ContractNames.StepFailed, { ...common, error: { name: reply.fail.name, message: reply.fail.message ?? reply.fail.name, retryable: reply.fail.retryable, details: null } });
    await this.producer.send([{ topic: this.topics.stepResults, key: r.caseId, value }]);
  }
}
