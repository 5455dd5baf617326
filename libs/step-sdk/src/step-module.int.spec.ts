import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { toPlain } from '@baton/avro';
import { ContractNames, loadContracts, topicNames, type Wire } from '@baton/contracts';
import { createKafka } from '@baton/kafka';
import { kafkaBrokers, uniqueName } from '@baton/testing';
import type { NoopInput, NoopOutput, TextSentimentInput, TextSentimentOutput } from '@baton/contracts';
import { NonRetryableError } from './non-retryable-error';
import { stepHandler } from './step-function';
import { StepModule } from './step.module';
import { StepRuntime } from './step-runtime';
import { StepTransport } from './step-transport';
import { RequestSender, ResultLog, stepRequest } from './testing/step-kit';
import { NoopStep, Probe, SentimentStep } from './testing/test-handlers';

const catalog = loadContracts();
const kafka = createKafka({ clientId: 'step-sdk-test', brokers: kafkaBrokers() });

/** The value of the one sample of `name` whose labels include `labels`, in Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Sends requests on a namespace and hands them and the results log to `check`. */
async function exchange<T>(namespace: string, requests: Wire.StepRequest[], check: (results: ResultLog) => Promise<T>): Promise<T> {
  const topics = topicNames(namespace);
  const sender = new RequestSender(kafka, catalog, topics);
  const results = new ResultLog(kafka, catalog, topics.stepResults);
  await sender.connect();
  await results.start();
  try {
    for (const r of requests) await sender.send(r);
    return await check(results);
  } finally {
    await results.stop();
    await sender.disconnect();
  }
}

/** Sends one request on a namespace and returns its result. */
function roundTrip(namespace: string, stepType: string, input: unknown) {
  const request = stepRequest(catalog, stepType, input);
  return exchange(namespace, [request], (results) => results.resultOf(request.caseId));
}

describe('StepModule without a transport, against real Kafka', () => {
  const closing: (INestApplicationContext | INestApplication)[] = [];
  after(async () => {
    for (const app of closing) await app.close();
  });

  it('runs the consumer in an application context, started on bootstrap', async () => {
    const namespace = uniqueName('sdk-ctx');
    @Module({ imports: [StepModule.forRoot({ handlers: [SentimentStep], providers: [Probe], namespace, kafka, catalog, observability: false })] })
    class ContextModule {}
    const app = await NestFactory.createApplicationContext(ContextModule, { logger: ['error', 'warn'] });
    closing.push(app);
    await app.init();
    assert.equal(app.get(StepRuntime, { strict: false }).runBy, 'module');
    assert.equal(app.get(StepRuntime, { strict: false }).worker.groupId, `${namespace}.baton-step-text.sentiment`);
    const result = await roundTrip(namespace, 'text.sentiment', { text: 'awful and broken' });
    assert.equal(result.writerName, ContractNames.StepCompleted);
  });

  it('serves baton_step_* on /metrics of a hybrid HTTP app whose StepTransport is connected with connectMicroservice', async () => {
    const namespace = uniqueName('sdk-http');
    @Module({ imports: [StepModule.forRoot({ handlers: [NoopStep], providers: [Probe], namespace, kafka, catalog, service: 'sdk-http-test' })] })
    class HttpStepsModule {}
    const app = await NestFactory.create(HttpStepsModule, { logger: ['error', 'warn'] });
    closing.push(app);
    app.connectMicroservice({ strategy: new StepTransport() });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    assert.equal(app.get(StepRuntime, { strict: false }).runBy, 'transport');
    const result = await roundTrip(namespace, 'noop', { n: 3 });
    assert.equal(result.writerName, ContractNames.StepCompleted);
    const url = await app.getUrl();
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.equal(sample(metrics, 'baton_step_requests_total', { step_type: 'noop', outcome: 'completed', service: 'sdk-http-test' }), 1);
    assert.equal(sample(metrics, 'baton_step_handler_duration_seconds_count', { step_type: 'noop', outcome: 'completed' }), 1);
    assert.equal(sample(metrics, 'baton_step_in_flight', { step_type: 'noop' }), 0);
    const ready = await fetch(`${url}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok', checks: { stepConsumer: 'ok' } });
  });

  it('runs handlers registered as functions: a plain function and a factory given its injected providers', async () => {
    const namespace = uniqueName('sdk-fn');
    const seen: string[] = [];
    const sentiment = stepHandler('text.sentiment', async (input: TextSentimentInput, ctx): Promise<TextSentimentOutput> => {
      seen.push(`${ctx.stepType}:${ctx.attempt}`);
      ctx.reportMetering({ model: 'lexicon', inputTokens: 2, outputTokens: 1, costUsd: 0.001 });
      return { score: -2, comparative: -1, label: input.text.includes('awful') ? 'negative' : 'neutral' };
    });
    const noop = stepHandler('noop', {
      inject: [Probe],
      useFactory: (probe: Probe) => async (input: NoopInput, ctx): Promise<NoopOutput> => {
        probe.record(input, ctx);
        if (ctx.params.mode === 'non-retryable') throw new NonRetryableError('MalformedEmail', 'no @ in it');
        return { ok: true };
      },
    });
    @Module({ imports: [StepModule.forRoot({ handlers: [sentiment, noop], providers: [Probe], namespace, kafka, catalog, observability: false })] })
    class FunctionsModule {}
    const app = await NestFactory.createApplicationContext(FunctionsModule, { logger: ['error', 'warn'] });
    closing.push(app);
    await app.init();
    assert.equal(app.get(StepRuntime, { strict: false }).worker.groupId, `${namespace}.baton-step-noop+text.sentiment`);

    const scored = stepRequest(catalog, 'text.sentiment', { text: 'awful and broken' });
    const done = stepRequest(catalog, 'noop', { n: 1 });
    const refused = stepRequest(catalog, 'noop', { n: 2 }, { params: JSON.stringify({ mode: 'non-retryable' }) });
    await exchange(namespace, [scored, done, refused], async (results) => {
      const s = await results.resultOf(scored.caseId);
      assert.equal(s.writerName, ContractNames.StepCompleted);
      assert.deepEqual(toPlain(catalog.decode(s.value.output as Buffer).value), { score: -2, comparative: -1, label: 'negative' });
      assert.equal((s.value.metering as { model: string } | null)?.model, 'lexicon');
      assert.deepEqual(seen, ['text.sentiment:1']);

      assert.equal((await results.resultOf(done.caseId)).writerName, ContractNames.StepCompleted);
      const probe = app.get(Probe, { strict: false });
      assert.deepEqual(probe.callsOf(done.caseId).map((c) => c.input), [{ n: 1 }], 'the factory got the injected Probe');

      const f = await results.resultOf(refused.caseId);
      assert.equal(f.writerName, ContractNames.StepFailed);
      assert.deepEqual({ name: (f.value.error as { name: string }).name, retryable: (f.value.error as { retryable: boolean }).retryable }, { name: 'MalformedEmail', retryable: false });
    });
  });
});
