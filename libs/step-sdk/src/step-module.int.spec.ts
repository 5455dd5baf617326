import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ContractNames, loadContracts, topicNames } from '@baton/contracts';
import { createKafka } from '@baton/kafka';
import { kafkaBrokers, uniqueName } from '@baton/testing';
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

/** Sends one request on a fresh namespace and returns its result. */
async function roundTrip(namespace: string, stepType: string, input: unknown) {
  const topics = topicNames(namespace);
  const sender = new RequestSender(kafka, catalog, topics);
  const results = new ResultLog(kafka, catalog, topics.stepResults);
  await sender.connect();
  await results.start();
  try {
    const request = stepRequest(catalog, stepType, input);
    await sender.send(request);
    return await results.resultOf(request.caseId);
  } finally {
    await results.stop();
    await sender.disconnect();
  }
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
});
