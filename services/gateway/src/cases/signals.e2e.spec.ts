import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContractNames, loadContracts, topicNames, type TopicNames, type Wire } from '@baton/contracts';
import { createKafka, DeadLetterHeaders, ensureTopics, headersToRecord, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { devIssuer, collect, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { TestStepWorker } from '@baton/step-testing';
import type { Kafka, Producer } from 'kafkajs';
import { httpClient, type HttpResult } from '../testing/http';

/** A noop, a wait for `go`, and a step that reads the signal's data. */
const afterWait = `
name: sig-after
version: 1
input: baton.steps.noop.Input
steps:
  first: { type: noop }
  w:
    needs: [first]
    wait: { signal: go, timeout: PT60S, correlate: "signal.payload.n > 0" }
  next:
    type: noop
    needs: [w]
    input: "{ 'n': steps.w.output.n }"
`;

/** Sleeps first, so a signal sent at once arrives before the wait starts. */
const beforeWait = `
name: sig-before
version: 1
input: baton.steps.noop.Input
steps:
  nap: { sleep: PT10S }
  w: { needs: [nap], wait: { signal: go, timeout: PT60S } }
  next: { type: noop, needs: [w], input: "{ 'n': steps.w.output.n }" }
`;

/** Nobody signals: the wait times out to its fallback. */
const timesOut = `
name: sig-timeout
version: 1
input: baton.steps.noop.Input
steps:
  w: { wait: { signal: never, timeout: PT2S }, fallback: fb }
  fb: { type: noop }
  next: { type: noop, needs: [w] }
`;

interface EventView { type: string; data: Record<string, unknown> }

describe('waiting for signals, sleeping and timing out, through the orchestrator and the gateway on Kafka and Postgres', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let worker: TestStepWorker;
  let topics: TopicNames;
  let producer: Producer;
  let kafka: Kafka;
  let http: ReturnType<typeof httpClient>;
  let authHeaders: Record<string, string> = {};
  const requests: { caseId: string; stepId: string; input: unknown }[] = [];

  before(async () => {
    db = await freshDatabase('signals');
    const namespace = uniqueName('sig').replace(/[^A-Za-z0-9_-]/g, '');
    topics = topicNames(namespace);
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_TIMER_POLL_MS: '50',
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    authHeaders = await issuer.headers({ subject: 'signals-test' });
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env });
    await gateway.start();
    http = httpClient(`http://127.0.0.1:${port}`, authHeaders);
    kafka = createKafka({ clientId: `${namespace}-worker`, brokers: kafkaBrokers() });
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop')]));
    worker = new TestStepWorker(kafka, loadContracts(), topics, ['noop'], (r) => {
      requests.push({ caseId: r.caseId, stepId: r.stepId, input: r.input });
      return { output: { ok: true } };
    });
    await worker.start();
    producer = kafka.producer();
    await producer.connect();
    for (const yaml of [afterWait, beforeWait, timesOut]) {
      const res = await http.put('/workflows', yaml, { 'content-type': 'text/yaml' });
      assert.equal(res.status, 201, res.text);
    }
  });

  after(async () => {
    await producer?.disconnect();
    await worker?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
  });

  async function poll(caseId: string, done: (r: HttpResult) => boolean, what: string, timeoutMs = 30000): Promise<HttpResult> {
    const deadline = Date.now() + timeoutMs;
    let last: HttpResult | undefined;
    while (Date.now() < deadline) {
      last = await http.get(`/cases/${caseId}`);
      if (last.status === 200 && done(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`case ${caseId}: ${what} not reached within ${timeoutMs} ms; last: ${last?.status} ${last?.text.slice(0, 600)}`);
  }
  const status = (caseId: string, s: string) => poll(caseId, (r) => r.body.summary.status === s, `status ${s}`);
  const events = async (caseId: string): Promise<EventView[]> => {
    const res = await http.get(`/cases/${caseId}/events`);
    return res.status === 200 ? (res.body as EventView[]) : [];
  };
  /** Polls the case's events (read from the event store, not a projection) until one satisfies `found`. */
  const eventsUntil = async (caseId: string, found: (e: EventView) => boolean, what: string): Promise<EventView[]> => {
    const deadline = Date.now() + 30000;
    for (;;) {
      const all = await events(caseId);
      if (all.some(found)) return all;
      assert.ok(Date.now() < deadline, `case ${caseId}: ${what} not recorded within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const start = async (workflow: string): Promise<string> => {
    const res = await http.post('/cases', { workflow, input: { n: null } });
    assert.equal(res.status, 202, res.text);
    return res.body.caseId as string;
  };

  it('a signal sent through POST /cases/{id}/signals/{name} while the case waits completes the wait with its data', async () => {
    const caseId = await start('sig-after');
    await eventsUntil(caseId, (e) => e.type === 'StepScheduled' && e.data.stepId === 'w', 'the wait');
    const ignoredByCorrelate = await http.post(`/cases/${caseId}/signals/go`, { data: { n: 0 }, signalId: `${caseId}-zero` });
    assert.equal(ignoredByCorrelate.status, 202, ignoredByCorrelate.text);
    const sent = await http.post(`/cases/${caseId}/signals/go`, { data: { n: 7 }, signalId: `${caseId}-seven` });
    assert.equal(sent.status, 202, sent.text);
    assert.deepEqual(sent.body, { caseId, signalId: `${caseId}-seven` });
    await status(caseId, 'completed');
    const all = await events(caseId);
    const received = all.filter((e) => e.type === 'SignalReceived');
    assert.deepEqual(received.map((e) => [e.data.signalId, e.data.stepId ?? null]), [[`${caseId}-zero`, null], [`${caseId}-seven`, 'w']]);
    const completed = all.find((e) => e.type === 'StepCompleted' && e.data.stepId === 'w')!;
    assert.deepEqual(completed.data.output, { n: 7 });
    assert.deepEqual(requests.find((r) => r.caseId === caseId && r.stepId === 'next')?.input, { n: 7 });
    // The same signal id again, after the case ended, changes nothing.
    assert.equal((await http.post(`/cases/${caseId}/signals/go`, { data: { n: 8 }, signalId: `${caseId}-seven` })).status, 202);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await events(caseId)).length, all.length);
  });

  it('a signal on baton.signals before the case waits is kept, then taken when the wait starts after a sleep', async () => {
    const caseId = await start('sig-before');
    await eventsUntil(caseId, (e) => e.type === 'CaseStarted', 'the start');
    const signal: Wire.SignalCase = { signalId: `${caseId}-early`, caseId, name: 'go', payload: JSON.stringify({ n: 3 }), principal: null, sentAt: Date.now() };
    await producer.send({ topic: topics.signals, messages: [{ key: caseId, value: loadContracts().encode(ContractNames.SignalCase, signal) }] });
    await status(caseId, 'completed');
    const all = await events(caseId);
    const types = all.map((e) => e.type);
    const kept = types.indexOf('SignalReceived');
    const nap = all.find((e) => e.type === 'StepCompleted' && e.data.stepId === 'nap')!;
    assert.ok(kept >= 0 && kept < all.indexOf(nap), `the signal was kept before the sleep ended: ${types.join(', ')}`);
    assert.equal(all[kept]!.data.stepId, undefined);
    assert.match(String((nap.data.output as { wokeAt: string }).wokeAt), /^\d{4}-\d\d-\d\dT/);
    assert.ok(types.includes('SignalConsumed'), types.join(', '));
    assert.deepEqual(all.find((e) => e.type === 'StepCompleted' && e.data.stepId === 'w')!.data.output, { n: 3 });
    assert.deepEqual(requests.find((r) => r.caseId === caseId && r.stepId === 'next')?.input, { n: 3 });
  });

  it('a wait that nobody signals times out to its fallback, and the case completes', async () => {
    const caseId = await start('sig-timeout');
    await status(caseId, 'completed');
    const all = await events(caseId);
    const timedOut = all.find((e) => e.type === 'StepTimedOut')!;
    assert.equal(timedOut.data.timeout, 'wait');
    assert.deepEqual(all.filter((e) => e.type === 'FallbackStarted').map((e) => e.data.fallbackStepId), ['fb']);
    assert.ok(requests.some((r) => r.caseId === caseId && r.stepId === 'next'));
  });

  it('dead-letters a SignalCase whose payload is not JSON text, naming the field', async () => {
    const caseId = await start('sig-after');
    const signal: Wire.SignalCase = { signalId: `${caseId}-bad`, caseId, name: 'go', payload: '{not json', principal: null, sentAt: Date.now() };
    await producer.send({ topic: topics.signals, messages: [{ key: caseId, value: loadContracts().encode(ContractNames.SignalCase, signal) }] });
    const [dead] = await collect(kafka, `${topics.signals}.dlt`, 1, 30000);
    const headers = headersToRecord(dead!.message.headers);
    assert.equal(headers[DeadLetterHeaders.errorName], 'InvalidSignalPayload');
    assert.match(headers[DeadLetterHeaders.errorMessage] ?? '', /field 'payload' is not JSON text/);
  });

  it('refuses a bad body or name with 400 problem details and an unknown case with 404', async () => {
    const caseId = await start('sig-after');
    const badBody = await http.post(`/cases/${caseId}/signals/go`, { signalId: 7 });
    assert.equal(badBody.status, 400, badBody.text);
    assert.match(badBody.contentType, /^application\/problem\+json/);
    assert.deepEqual(badBody.body.errors.map((e: { field: string }) => e.field), ['signalId']);
    const badName = await http.post(`/cases/${caseId}/signals/${encodeURIComponent('no good')}`, {});
    assert.equal(badName.status, 400, badName.text);
    assert.deepEqual(badName.body.errors.map((e: { field: string }) => e.field), ['name']);
    const unknown = await http.post('/cases/no-such-case/signals/go', { data: { n: 1 } });
    assert.equal(unknown.status, 404, unknown.text);
  });
});
