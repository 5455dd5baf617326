import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { SchemaCatalog } from '@baton/avro';
import { ContractNames, stepContract, type TopicNames, type Wire } from '@baton/contracts';
import { headersToRecord } from '@baton/kafka';
import { uniqueName } from '@baton/testing';

/** A message read from the results topic, decoded by fingerprint. */
export interface SeenResult {
  writerName: string;
  value: Record<string, unknown> & { caseId: string; stepId: string; attempt: number };
  key: string | null;
  headers: Record<string, string>;
}

/**
 * A Wire.StepRequest as the orchestrator's outbox writes it: `input` is the step type's input record
 * in the single-object encoding (the inverse of what a worker decodes).
 */
export function stepRequest(catalog: SchemaCatalog, stepType: string, input: unknown, overrides: Partial<Omit<Wire.StepRequest, 'input' | 'startToCloseMs'>> & { startToCloseMs?: number | null } & { rawInput?: Buffer } = {}): Wire.StepRequest {
  const { rawInput, ...rest } = overrides;
  const caseId = rest.caseId ?? randomUUID();
  const stepId = rest.stepId ?? 'step';
  const attempt = rest.attempt ?? 1;
  return {
    requestId: `${caseId}:${stepId}:${attempt}`, caseId, workflow: 'sdk-test', workflowVersion: 1, stepId, stepType, attempt,
    input: rawInput ?? catalog.encode(stepContract(catalog, stepType).inputName, input),
    params: '{}', deadline: Date.now() + 30_000, startToCloseMs: null, idempotencyKey: `${caseId}:${stepId}`,
    ...rest,
  };
}

/** Where one copy of a request goes. */
export interface SendOptions { key?: string; partition?: number; headers?: Record<string, string> }

/** Publishes StepRequests with a plain kafkajs producer, so a test can pick key, partition and headers. */
export class RequestSender {
  private readonly producer: Producer;
  constructor(kafka: Kafka, private readonly catalog: SchemaCatalog, private readonly topics: TopicNames) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }
  connect(): Promise<void> { return this.producer.connect(); }
  disconnect(): Promise<void> { return this.producer.disconnect(); }
  async send(request: Wire.StepRequest, options: SendOptions = {}): Promise<void> {
    await this.sendCopies(request, [options]);
  }

  /** Sends `request` to a topic of the caller's choice (a misrouted request). */
  async sendTo(topic: string, request: Wire.StepRequest): Promise<void> {
    await this.producer.send({ topic, messages: [{ key: request.caseId, value: this.catalog.encode(ContractNames.StepRequest, request) }] });
  }

  /** Sends one copy of `request` per entry, in one produce request, so a consumer fetches them together. */
  async sendCopies(request: Wire.StepRequest, copies: SendOptions[]): Promise<void> {
    const value = this.catalog.encode(ContractNames.StepRequest, request);
    await this.producer.send({
      topic: this.topics.step(request.stepType),
      messages: copies.map((o) => ({ key: o.key ?? request.caseId, value, headers: o.headers ?? {}, ...(o.partition !== undefined && { partition: o.partition }) })),
    });
  }
}

/** Reads the results topic from the beginning for the whole test file, decoding every message. */
export class ResultLog {
  readonly seen: SeenResult[] = [];
  private readonly consumer;
  constructor(kafka: Kafka, private readonly catalog: SchemaCatalog, private readonly topic: string) {
    this.consumer = kafka.consumer({ groupId: uniqueName('results'), maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  }
  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = this.catalog.decode<SeenResult['value']>(message.value!);
        this.seen.push({ writerName: decoded.writerName, value: decoded.value, key: message.key?.toString() ?? null, headers: headersToRecord(message.headers) });
      },
    });
  }
  stop(): Promise<void> { return this.consumer.disconnect(); }

  /** Results (completed or failed, not heartbeats) of a case. */
  resultsOf(caseId: string): SeenResult[] {
    return this.seen.filter((s) => s.value.caseId === caseId && s.writerName !== ContractNames.StepHeartbeat);
  }

  /** Waits for the first result of a case. */
  async resultOf(caseId: string, timeoutMs = 20_000): Promise<SeenResult> {
    await this.waitFor(() => this.resultsOf(caseId).length > 0, `a result for case ${caseId}`, timeoutMs);
    return this.resultsOf(caseId)[0]!;
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${this.topic} (${this.seen.length} messages seen)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
