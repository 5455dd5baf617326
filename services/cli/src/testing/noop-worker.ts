import { randomUUID } from 'node:crypto';
import type { DecodedMessage, SchemaCatalog } from '@baton/avro';
import { ContractNames, stepContract, type StepRequest, type TopicNames } from '@baton/contracts';
import { ConsumerRunner, MessageProducer, type ConsumedMessage } from '@baton/kafka';
import { uniqueName } from '@baton/testing';
import type { Kafka } from 'kafkajs';

/** A step consumer for the CLI's end-to-end test: answers every `noop` request with `{ ok: true }`. */
export class NoopWorker {
  private readonly runner: ConsumerRunner<DecodedMessage>;
  private readonly producer: MessageProducer;

  constructor(kafka: Kafka, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames) {
    this.producer = new MessageProducer(kafka);
    this.runner = new ConsumerRunner<DecodedMessage>({
      kafka, groupId: uniqueName('cli-worker'), topics: [topics.step('noop')], fromBeginning: true,
      decode: (b) => catalog.decode(b), deadLetters: this.producer, handle: (m) => this.answer(m),
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

  private async answer(m: ConsumedMessage<DecodedMessage>): Promise<void> {
    const r = m.value.value as StepRequest;
    const now = Date.now();
    const value = this.catalog.encode(ContractNames.StepCompleted, {
      resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt,
      output: this.catalog.encode(stepContract(this.catalog, 'noop').outputName, { ok: true }), metering: null, startedAt: now, finishedAt: now + 3, worker: 'cli-e2e',
    });
    await this.producer.send([{ topic: this.topics.stepResults, key: r.caseId, value }]);
  }
}
