/**
 * The triage step service against the real Kafka: the Nest app with `TriageStepsModule` in this
 * process on its own topic namespace, StepRequests published as the orchestrator's outbox writes
 * them, results read back from the namespaced `baton.step-results` and decoded with the contracts.
 * Then `src/main.ts` as a deployed process serving a subset of the types (`BATON_STEP_TYPES`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { ContractNames, loadContracts, stepContract, topicNames, type TopicNames, type Wire } from '@baton/contracts';
import { createKafka, MessageProducer } from '@baton/kafka';
import { StepRuntime } from '@baton/step-sdk';
import { collect, kafkaBrokers, ServiceProcess, uniqueName } from '@baton/testing';
import { heldOutCorpus } from '../corpus/corpus';
import { TEMPLATE_MODEL } from '../draft/template-drafter';
import { keyFileName, readRecords } from '../files/write-once';
import { TRIAGE_STEP_TYPES } from '../step-types';
import { TriageStepsModule } from './triage-steps.module';

const catalog = loadContracts();
const kafka: Kafka = createKafka({ clientId: 'triage-steps-test', brokers: kafkaBrokers() });

/** A Wire.StepRequest as the orchestrator's outbox writes it. */
function request(stepType: string, input: unknown, o: { caseId?: string; stepId?: string; attempt?: number; params?: object } = {}): Wire.StepRequest {
  const caseId = o.caseId ?? randomUUID();
  const stepId = o.stepId ?? stepType.split('.').pop()!;
  const attempt = o.attempt ?? 1;
  return {
    requestId: `${caseId}:${stepId}:${attempt}`, caseId, workflow: 'inbox-triage', workflowVersion: 1, stepId, stepType, attempt,
    input: catalog.encode(stepContract(catalog, stepType).inputName, input), params: JSON.stringify(o.params ?? {}),
    deadline: Date.now() + 60_000, startToCloseMs: null, idempotencyKey: `${caseId}:${stepId}`,
  };
}

async function send(producer: MessageProducer, topics: TopicNames, ...requests: Wire.StepRequest[]): Promise<void> {
  await producer.send(requests.map((r) => ({ topic: topics.step(r.stepType), key: r.caseId, value: catalog.encode(ContractNames.StepRequest, r) })));
}

type Result = { writerName: string; value: Wire.StepCompleted | Wire.StepFailed; output?: Record<string, unknown> };

/** Reads `count` results (heartbeats left out) from the namespace's results topic, decoding outputs with the step's output contract. */
async function results(topics: TopicNames, count: number): Promise<Result[]> {
  const raw = await collect(kafka, topics.stepResults, count, 60_000);
  return raw.map(({ message }) => {
    const d = catalog.decode<Wire.StepCompleted | Wire.StepFailed>(message.value!);
    const r: Result = { writerName: d.writerName, value: d.value };
    if (d.writerName === ContractNames.StepCompleted) {
      const c = d.value as Wire.StepCompleted;
      r.output = JSON.parse(JSON.stringify(catalog.decode(c.output, stepContract(catalog, c.stepType).outputName).value)) as Record<string, unknown>;
    }
    return r;
  }).filter((r) => r.writerName !== ContractNames.StepHeartbeat);
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the triage step service in process, over real Kafka', () => {
  const namespace = uniqueName('triage-steps').replace(/[^A-Za-z0-9_-]/g, '');
  const topics = topicNames(namespace);
  const dir = mkdtempSync(join(tmpdir(), 'triage-steps-'));
  const saved = { notify: process.env.BATON_NOTIFY_DIR, quarantine: process.env.BATON_QUARANTINE_DIR, llm: process.env.BATON_LLM_URL };
  let app: INestApplication;
  let producer: MessageProducer;
  let llm: Server;
  const email = heldOutCorpus().find((m) => m.group === 'easy-ham-1')!;
  const ids = { parse: randomUUID(), malformed: randomUUID(), classify: randomUUID(), notify: randomUUID(), template: randomUUID(), rejected: randomUUID(), unavailable: randomUUID() };
  let seen: Result[] = [];
  const of = (caseId: string) => seen.filter((r) => r.value.caseId === caseId);

  before(async () => {
    // A fake OpenAI-compatible server: 503 for the case whose idempotency key says so, 400 for anything else.
    llm = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const unavailable = String(req.headers['idempotency-key'] ?? '').startsWith(ids.unavailable);
        res.writeHead(unavailable ? 503 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: unavailable ? 'overloaded' : 'bad request: model not allowed' } }));
      });
    });
    await new Promise<void>((ok) => llm.listen(0, '127.0.0.1', ok));
    process.env.BATON_NOTIFY_DIR = join(dir, 'notifications');
    process.env.BATON_QUARANTINE_DIR = join(dir, 'quarantine');
    process.env.BATON_LLM_URL = `http://127.0.0.1:${(llm.address() as AddressInfo).port}`;

    app = await NestFactory.create(TriageStepsModule.forRoot({ step: { namespace, kafka, catalog, service: 'triage-steps-test' } }), { logger: ['error', 'warn'] });
    await app.listen(0, '127.0.0.1');
    producer = new MessageProducer(kafka);
    await producer.connect();

    await send(producer, topics,
      request('email.parse', { raw: email.raw }, { caseId: ids.parse }),
      request('email.parse', { raw: 'hello world, this is not an email' }, { caseId: ids.malformed }),
      request('text.classify', { subject: 'Re: patch for the build script', text: 'Thanks, I applied your patch to the build script and the tests pass now.', params: null }, { caseId: ids.classify, params: { model: 'fast' } }),
      request('notify', { caseId: ids.notify, outcome: JSON.stringify({ label: 'ham', replyDrafted: true }) }, { caseId: ids.notify }),
      // The orchestrator retried (the first result was lost, say): a second attempt of the same step.
      request('notify', { caseId: ids.notify, outcome: JSON.stringify({ label: 'ham', replyDrafted: true }) }, { caseId: ids.notify, attempt: 2 }),
    );
    const draft = {
      subject: 'Order 77 arrived damaged', from: 'Ann Lee <ann@example.com>', text: 'The parcel arrived on Monday with a broken lid. I paid $45.',
      entities: { people: ['Ann Lee'], organizations: [], dates: ['Monday'], money: ['$45'] }, sentiment: { score: -0.3, comparative: -0.3, label: 'negative' },
    };
    await send(producer, topics,
      request('text.draft', draft, { caseId: ids.template, stepId: 'reply-template', params: { drafter: 'template' } }),
      request('text.draft', draft, { caseId: ids.rejected, stepId: 'reply' }),
      request('text.draft', draft, { caseId: ids.unavailable, stepId: 'reply' }),
    );
    seen = await results(topics, 8);
  });

  after(async () => {
    await producer?.disconnect();
    await app?.close();
    llm?.closeAllConnections();
    await new Promise<void>((ok) => (llm ? llm.close(() => ok()) : ok()));
    for (const [k, v] of Object.entries({ BATON_NOTIFY_DIR: saved.notify, BATON_QUARANTINE_DIR: saved.quarantine, BATON_LLM_URL: saved.llm })) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('consumes every triage step type in one group, and reports ready on /health/ready', async () => {
    const { worker } = app.get(StepRuntime, { strict: false });
    assert.equal(worker.groupId, `${namespace}.baton-step-${[...TRIAGE_STEP_TYPES].sort().join('+')}`);
    const ready = await fetch(`${await app.getUrl()}/health/ready`);
    assert.deepEqual(await ready.json(), { status: 'ok', checks: { stepConsumer: 'ok' } });
  });

  it('parses a real corpus email: a Wire.StepCompleted whose output decodes with the email.parse output contract', () => {
    const [r] = of(ids.parse);
    assert.equal(r?.writerName, ContractNames.StepCompleted, JSON.stringify(r?.value));
    assert.equal(r.value.stepType, 'email.parse');
    assert.equal(r.value.stepId, 'parse');
    assert.equal((r.value as Wire.StepCompleted).metering, null, 'parsing calls no model');
    assert.ok(typeof r.output!.subject === 'string' && r.output!.subject !== '');
    assert.match(String(r.output!.from), /@/);
    assert.ok(Array.isArray(r.output!.to));
    assert.ok(String(r.output!.text).length > 0);
  });

  it('fails a malformed email with MalformedEmail, retryable false', () => {
    const [r] = of(ids.malformed);
    assert.equal(r?.writerName, ContractNames.StepFailed);
    const { error } = r.value as Wire.StepFailed;
    assert.equal(error.name, 'MalformedEmail');
    assert.equal(error.retryable, false);
    assert.match(error.message, /no header/);
  });

  it('classifies with the model loaded at start and reports its metering: model and version, no tokens, no cost', () => {
    const [r] = of(ids.classify);
    assert.equal(r?.writerName, ContractNames.StepCompleted, JSON.stringify(r?.value));
    assert.equal(r.output!.label, 'ham');
    assert.ok(Number(r.output!.confidence) > 0.5 && Number(r.output!.confidence) <= 1);
    assert.equal(r.output!.model, 'natural-bayes');
    assert.match(String(r.output!.modelVersion), /^[0-9a-f]{12}$/);
    assert.deepEqual({ ...(r.value as Wire.StepCompleted).metering }, { model: 'natural-bayes', modelVersion: r.output!.modelVersion, inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('notifies twice for one case (two attempts): both complete, one record for the case', async () => {
    const rs = of(ids.notify).sort((a, b) => a.value.attempt - b.value.attempt);
    assert.deepEqual(rs.map((r) => [r.writerName, r.value.attempt, r.output?.written]), [[ContractNames.StepCompleted, 1, true], [ContractNames.StepCompleted, 2, false]]);
    assert.equal(rs[0]!.output!.path, join(process.env.BATON_NOTIFY_DIR!, keyFileName(`case:${ids.notify}`)));
    assert.equal(rs[1]!.output!.path, rs[0]!.output!.path);
    const lines = await readRecords(process.env.BATON_NOTIFY_DIR!);
    assert.deepEqual(lines.filter((l) => l.caseId === ids.notify), [{ caseId: ids.notify, label: 'ham', replyDrafted: true }]);
  });

  it('drafts with the template drafter when the step says so, metering model local-template with its tokens', () => {
    const [r] = of(ids.template);
    assert.equal(r?.writerName, ContractNames.StepCompleted, JSON.stringify(r?.value));
    const m = (r.value as Wire.StepCompleted).metering!;
    assert.equal(m.model, TEMPLATE_MODEL);
    assert.equal(m.inputTokens, r.output!.inputTokens);
    assert.equal(m.outputTokens, r.output!.outputTokens);
    assert.ok(m.inputTokens > 0 && m.outputTokens > 0);
    assert.equal(m.costUsd, 0);
    assert.match(String(r.output!.reply), /^Hi Ann,/);
  });

  it('maps the LLM\'s answers: a refused request is LlmRequestRejected, not retryable; an overloaded server is LlmUnavailable, retryable', () => {
    const rejected = of(ids.rejected)[0]!.value as Wire.StepFailed;
    assert.equal(rejected.error.name, 'LlmRequestRejected');
    assert.equal(rejected.error.retryable, false);
    const unavailable = of(ids.unavailable)[0]!.value as Wire.StepFailed;
    assert.equal(unavailable.error.name, 'LlmUnavailable');
    assert.equal(unavailable.error.retryable, true);
  });

  it('counts attempts and tokens in baton_step_* on /metrics', async () => {
    const metrics = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    assert.equal(sample(metrics, 'baton_step_requests_total', { step_type: 'email.parse', outcome: 'completed' }), 1);
    assert.equal(sample(metrics, 'baton_step_requests_total', { step_type: 'email.parse', outcome: 'failed' }), 1);
    assert.equal(sample(metrics, 'baton_step_requests_total', { step_type: 'text.draft', outcome: 'retryable_failed' }), 1);
    assert.ok((sample(metrics, 'baton_step_tokens_total', { step_type: 'text.draft', model: TEMPLATE_MODEL, direction: 'output' }) ?? 0) > 0);
  });
});

describe('src/main.ts as a deployed step service', () => {
  it('serves only the types in BATON_STEP_TYPES, logs a ready line, and answers on /health and /metrics', async () => {
    const namespace = uniqueName('triage-main').replace(/[^A-Za-z0-9_-]/g, '');
    const topics = topicNames(namespace);
    const proc = new ServiceProcess('services/triage-steps/src/main.ts', {
      BATON_STEP_TYPES: 'text.classify, noop', BATON_TOPIC_NAMESPACE: namespace, KAFKA_BROKERS: kafkaBrokers().join(','), PORT: '0', HOST: '127.0.0.1',
    });
    const producer = new MessageProducer(kafka);
    try {
      await proc.start();
      const ready = proc.log.split('\n').map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return undefined; } })
        .find((l) => typeof l?.message === 'string' && l.message.startsWith('ready'))!;
      assert.equal(ready.level, 'info');
      assert.deepEqual(ready.stepTypes, ['text.classify', 'noop']);
      assert.equal(ready.groupId, `${namespace}.baton-step-noop+text.classify`);
      await producer.connect();
      const caseId = randomUUID();
      await send(producer, topics, request('text.classify', { subject: 'WIN CASH NOW!!!', text: 'Click here http://x.example to claim your $1,000,000 prize!!!', params: null }, { caseId }));
      const [r] = await results(topics, 1);
      assert.equal(r?.writerName, ContractNames.StepCompleted);
      assert.equal(r.output!.label, 'spam');
      const base = `http://127.0.0.1:${ready.port as number}`;
      assert.deepEqual(await (await fetch(`${base}/health/ready`)).json(), { status: 'ok', checks: { stepConsumer: 'ok' } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.equal(sample(metrics, 'baton_step_requests_total', { step_type: 'text.classify', outcome: 'completed', service: 'baton-triage-steps' }), 1);
      assert.equal(sample(metrics, 'baton_step_tokens_total', { step_type: 'text.classify', model: 'natural-bayes', direction: 'input' }), 0);
    } finally {
      await producer.disconnect();
      await proc.stop();
    }
  });

  it('refuses to start when BATON_STEP_TYPES names a type it does not have', async () => {
    const proc = new ServiceProcess('services/triage-steps/src/main.ts', { BATON_STEP_TYPES: 'text.classify,text.translate', PORT: '0' });
    await assert.rejects(proc.start(30_000), /exited with 1 during start[\s\S]*text\.translate/);
  });
});
