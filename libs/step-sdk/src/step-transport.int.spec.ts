import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { firstValueFrom } from 'rxjs';
import { ContractNames, loadContracts, topicNames, type Wire } from '@baton/contracts';
import { createKafka, DeadLetterHeaders } from '@baton/kafka';
import { kafkaBrokers, uniqueName } from '@baton/testing';
import { StepModule } from './step.module';
import { StepRuntime } from './step-runtime';
import { StepTransport } from './step-transport';
import { STEP_METRICS_REGISTRY } from './step-tokens';
import { RequestSender, ResultLog, sleep, stepRequest } from './testing/step-kit';
import { NoopStep, Probe, SentimentStep } from './testing/test-handlers';

const namespace = uniqueName('sdk');
const topics = topicNames(namespace);
const catalog = loadContracts();
const kafka = createKafka({ clientId: 'step-sdk-test', brokers: kafkaBrokers() });
const params = (p: Record<string, unknown>) => JSON.stringify(p);

@Module({ imports: [StepModule.forRoot({ handlers: [NoopStep, SentimentStep], providers: [Probe], namespace, kafka, catalog, service: 'sdk-test', heartbeatIntervalMs: 200 })] })
class StepsModule {}

describe('StepTransport in a Nest microservice, against real Kafka', () => {
  let app: INestMicroservice;
  let transport: StepTransport;
  let probe: Probe;
  let sender: RequestSender;
  let results: ResultLog;

  before(async () => {
    transport = new StepTransport();
    app = await NestFactory.createMicroservice(StepsModule, { strategy: transport, logger: ['error', 'warn'] });
    await app.listen();
    probe = app.get(Probe, { strict: false });
    sender = new RequestSender(kafka, catalog, topics);
    await sender.connect();
    results = new ResultLog(kafka, catalog, topics.stepResults);
    await results.start();
  });

  after(async () => {
    await results?.stop();
    await sender?.disconnect();
    await app?.close();
  });

  it('is started by the transport, which reports itself connected', async () => {
    assert.equal(app.get(StepRuntime, { strict: false }).runBy, 'transport');
    assert.equal(await firstValueFrom(transport.status), 'connected');
  });

  it('publishes a Wire.StepCompleted whose output decodes with the output contract when the handler returns', async () => {
    const request = stepRequest(catalog, 'noop', { n: 7 });
    await sender.send(request);
    const result = await results.resultOf(request.caseId);
    assert.equal(result.writerName, ContractNames.StepCompleted);
    const completed = result.value as unknown as Wire.StepCompleted;
    assert.deepEqual({ ...catalog.decode(completed.output, 'baton.steps.noop.Output').value as object }, { ok: true });
    assert.equal(completed.stepId, 'step');
    assert.equal(completed.stepType, 'noop');
    assert.equal(completed.attempt, 1);
    assert.match(completed.resultId, /^[0-9a-f-]{36}$/);
    assert.ok(completed.startedAt <= completed.finishedAt);
    assert.equal(completed.metering, null);
    assert.ok(completed.worker.length > 0);
    assert.deepEqual(probe.callsOf(request.caseId)[0]!.input, { n: 7 });
  });

  it('hands the handler the request in its context: case, step, attempt, idempotency key, params and deadline', async () => {
    const deadline = Date.now() + 45_000;
    const request = stepRequest(catalog, 'noop', { n: null }, { stepId: 'enrich', attempt: 3, idempotencyKey: 'idem-42', params: params({ mode: 'ok', threshold: 0.8 }), deadline });
    await sender.send(request);
    await results.resultOf(request.caseId);
    const call = probe.callsOf(request.caseId)[0]!;
    assert.deepEqual(
      { caseId: call.caseId, stepId: call.stepId, stepType: call.stepType, attempt: call.attempt, requestId: call.requestId, idempotencyKey: call.idempotencyKey, params: call.params, deadline: call.deadline, isCompensation: call.isCompensation },
      { caseId: request.caseId, stepId: 'enrich', stepType: 'noop', attempt: 3, requestId: `${request.caseId}:enrich:3`, idempotencyKey: 'idem-42', params: { mode: 'ok', threshold: 0.8 }, deadline, isCompensation: false },
    );
    assert.ok(call.remainingMs > 0 && call.remainingMs <= 45_000);
    assert.deepEqual(call.input, { n: null });
  });

  it('turns a plain Error into a retryable Wire.StepFailed named after the error, with its stack in details', async () => {
    const plain = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'throw' }) });
    const named = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'throw-named' }) });
    await sender.send(plain);
    await sender.send(named);
    const a = (await results.resultOf(plain.caseId)).value as unknown as Wire.StepFailed;
    const b = (await results.resultOf(named.caseId)).value as unknown as Wire.StepFailed;
    assert.deepEqual({ name: a.error.name, message: a.error.message, retryable: a.error.retryable }, { name: 'Error', message: 'the upstream answered 503', retryable: true });
    assert.match(JSON.parse(a.error.details!).stack, /the upstream answered 503\n\s+at /);
    assert.deepEqual({ name: b.error.name, retryable: b.error.retryable }, { name: 'UpstreamUnavailable', retryable: true });
  });

  it('turns a NonRetryableError into a Wire.StepFailed with retryable=false and the error\'s own name', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'non-retryable' }) });
    await sender.send(request);
    const result = await results.resultOf(request.caseId);
    assert.equal(result.writerName, ContractNames.StepFailed);
    const { error } = result.value as unknown as Wire.StepFailed;
    assert.deepEqual({ name: error.name, message: error.message, retryable: error.retryable }, { name: 'MalformedEmail', message: "'bob@' is not an e-mail address", retryable: false });
  });

  it('reports an output that breaks the output contract as a non-retryable OutputSchemaViolation naming the field', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'bad-output' }) });
    await sender.send(request);
    const { error } = (await results.resultOf(request.caseId)).value as unknown as Wire.StepFailed;
    assert.equal(error.name, 'OutputSchemaViolation');
    assert.equal(error.retryable, false);
    assert.match(error.message, /does not match baton\.steps\.noop\.Output: ok: expected boolean, got "yes"/);
    assert.deepEqual(JSON.parse(error.details!), { fields: ['ok'] });
  });

  it('reports an input that does not decode with the input contract as a non-retryable InputSchemaViolation, without running the handler', async () => {
    // A noop input sent to text.sentiment: its reader schema needs `text`, which the writer lacks.
    const wrongRecord = stepRequest(catalog, 'text.sentiment', null, { rawInput: catalog.encode('baton.steps.noop.Input', { n: 1 }) });
    const garbage = stepRequest(catalog, 'noop', null, { rawInput: Buffer.from('not avro at all') });
    await sender.send(wrongRecord);
    await sender.send(garbage);
    for (const r of [wrongRecord, garbage]) {
      const result = await results.resultOf(r.caseId);
      assert.equal(result.writerName, ContractNames.StepFailed);
      const { error } = result.value as unknown as Wire.StepFailed;
      assert.equal(error.name, 'InputSchemaViolation');
      assert.equal(error.retryable, false);
      assert.match(error.message, new RegExp(`is not a ${r.stepType.replace('.', '\\.')} input`));
      assert.equal(probe.callsOf(r.caseId).length, 0);
    }
  });

  it('runs a request delivered twice once and publishes one result, and drops a later redelivery', async () => {
    const request = stepRequest(catalog, 'noop', { n: 1 });
    await sender.send(request);
    await sender.send(request);
    await results.resultOf(request.caseId);
    await sender.send(request);
    await sleep(1500);
    assert.equal(probe.callsOf(request.caseId).length, 1);
    assert.equal(results.resultsOf(request.caseId).length, 1);
  });

  it('runs the same attempt delivered twice at once (two partitions) once, and publishes one result', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'slow', ms: 2000 }) });
    await sender.sendCopies(request, [{ partition: 0 }, { partition: 1, key: `${request.caseId}-again` }]);
    await results.resultOf(request.caseId);
    await sleep(1500);
    assert.equal(probe.callsOf(request.caseId).length, 1);
    assert.equal(results.resultsOf(request.caseId).length, 1);
  });

  it('publishes a Wire.StepHeartbeat on the results topic when the handler heartbeats, at most once per interval', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'heartbeat' }) });
    await sender.send(request);
    await results.resultOf(request.caseId);
    await sleep(300);
    const beats = results.seen.filter((s) => s.writerName === ContractNames.StepHeartbeat && s.value.caseId === request.caseId);
    assert.equal(beats.length, 1, 'the second heartbeat came within the interval and was dropped');
    const beat = beats[0]!.value as unknown as Wire.StepHeartbeat;
    assert.deepEqual({ stepId: beat.stepId, stepType: beat.stepType, attempt: beat.attempt, details: beat.details }, { stepId: 'step', stepType: 'noop', attempt: 1, details: '{"progress":0.5}' });
    assert.equal(beats[0]!.key, request.caseId);
  });

  it('puts the metering the handler reported into Wire.StepCompleted.metering, summed over its model calls', async () => {
    const request = stepRequest(catalog, 'text.sentiment', { text: 'great service, thanks' });
    await sender.send(request);
    const result = await results.resultOf(request.caseId);
    const completed = result.value as unknown as Wire.StepCompleted;
    assert.deepEqual({ ...completed.metering! }, { model: 'lexicon', modelVersion: '2024-01', inputTokens: 4, outputTokens: 4, costUsd: 0.0002 + 0.0001 });
    assert.deepEqual({ ...catalog.decode(completed.output, 'baton.steps.text_sentiment.Output').value as object }, { score: 2, comparative: 2 / 3, label: 'positive' });
  });

  it('gives up on a handler still running at its deadline: publishes nothing and aborts the handler\'s signal', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'hang', ms: 2500 }), deadline: Date.now() + 800 });
    await sender.send(request);
    await results.waitFor(() => probe.aborted.has(request.caseId), 'the handler\'s signal to abort');
    await sleep(2500);
    assert.equal(results.resultsOf(request.caseId).length, 0);
    assert.equal(probe.callsOf(request.caseId).length, 1);
  });

  it('fails an attempt that runs past its start-to-close timeout, retryably, well before its deadline', async () => {
    const request = stepRequest(catalog, 'noop', {}, { params: params({ mode: 'hang', ms: 2000 }), deadline: Date.now() + 60_000, startToCloseMs: 400 });
    await sender.send(request);
    const result = await results.resultOf(request.caseId);
    assert.equal(result.writerName, ContractNames.StepFailed);
    const failed = result.value as unknown as Wire.StepFailed;
    assert.equal(failed.error.name, 'StepTimeout');
    assert.equal(failed.error.retryable, true);
    assert.match(failed.error.message, /start-to-close timeout of 400 ms/);
    assert.ok(probe.aborted.has(request.caseId), 'the handler\'s signal was aborted');
    await sleep(2000); // the abandoned handler settles, so later tests see nothing in flight
  });

  it('runs a compensation request (stepId compensate:<id>) as an ordinary request of its step type', async () => {
    const request = stepRequest(catalog, 'noop', {}, { stepId: 'compensate:reserve', idempotencyKey: 'case:compensate:reserve' });
    await sender.send(request);
    const result = await results.resultOf(request.caseId);
    assert.equal(result.writerName, ContractNames.StepCompleted);
    assert.equal(result.value.stepId, 'compensate:reserve');
    assert.equal(probe.callsOf(request.caseId)[0]!.isCompensation, true);
  });

  it('keys results by case id and passes the request\'s W3C trace headers on', async () => {
    const traceparent = `00-${randomUUID().replace(/-/g, '')}-${'ab'.repeat(8)}-01`;
    const request = stepRequest(catalog, 'noop', {});
    await sender.send(request, { headers: { traceparent, tracestate: 'baton=1' } });
    const result = await results.resultOf(request.caseId);
    assert.equal(result.key, request.caseId);
    assert.equal(result.headers.traceparent, traceparent);
    assert.equal(result.headers.tracestate, 'baton=1');
    assert.equal(result.headers['baton-case-id'], request.caseId);
    assert.equal(result.headers['baton-message-id'], (result.value as unknown as Wire.StepCompleted).resultId);
  });

  it('dead-letters a request for a step type this process does not serve on that topic, without a result', async () => {
    const wrongTopic = { ...stepRequest(catalog, 'noop', {}), stepType: 'text.sentiment' };
    await sender.sendTo(topics.step('noop'), wrongTopic);
    const deadLetters = new ResultLog(kafka, catalog, `${topics.step('noop')}.dlt`);
    await deadLetters.start();
    await deadLetters.waitFor(() => deadLetters.seen.some((s) => s.value.caseId === wrongTopic.caseId), 'the dead letter');
    await deadLetters.stop();
    const { headers } = deadLetters.seen.find((s) => s.value.caseId === wrongTopic.caseId)!;
    assert.equal(headers[DeadLetterHeaders.errorName], 'UnexpectedStepType');
    assert.match(headers[DeadLetterHeaders.errorMessage]!, /is for step type 'text\.sentiment', which this worker does not serve on that topic/);
    await sleep(300);
    assert.equal(results.resultsOf(wrongTopic.caseId).length, 0);
  });

  it('counts every outcome in baton_step_requests_total, and tokens and cost by model', async () => {
    const registry = app.get<Registry>(STEP_METRICS_REGISTRY, { strict: false });
    const counts = new Map<string, number>();
    for (const v of (await registry.getSingleMetric('baton_step_requests_total')!.get()).values) counts.set(`${v.labels.step_type}/${v.labels.outcome}`, v.value);
    assert.deepEqual(Object.fromEntries([...counts].sort()), {
      'noop/completed': 7,
      'noop/dead_lettered': 1,
      'noop/duplicate': 3,
      'noop/failed': 1,
      'noop/invalid_input': 1,
      'noop/output_schema_violation': 1,
      'noop/retryable_failed': 2,
      'noop/timed_out': 2,
      'text.sentiment/completed': 1,
      'text.sentiment/invalid_input': 1,
    });
    const tokens = (await registry.getSingleMetric('baton_step_tokens_total')!.get()).values.map((v) => [v.labels.direction, v.value]);
    assert.deepEqual(Object.fromEntries(tokens), { input: 4, output: 4 });
    const inFlight = (await registry.getSingleMetric('baton_step_in_flight')!.get()).values;
    assert.ok(inFlight.every((v) => v.value === 0));
  });
});
