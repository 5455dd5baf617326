import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, OtlpReceiver, ServiceProcess, uniqueName, type FreshDatabase, type ReceivedSpan } from '@baton/testing';
import { httpClient } from './testing/http';

/*
 * One case is one trace: the gateway, the orchestrator and a step service built on the step SDK
 * run as processes with the OpenTelemetry SDK exporting OTLP/HTTP (JSON) to a receiver in this
 * process. The step service (the crash test's) fails the first attempt of `workspace`, so the
 * case also waits on a retry timer: the timer loop must continue the case's trace from the
 * context stored with its events.
 */
const workflow = {
  name: 'otel-traced', version: 1, input: 'baton.steps.noop.Input',
  steps: {
    validate: { type: 'noop', timeout: 'PT20S' },
    workspace: { type: 'noop', needs: ['validate'], timeout: 'PT20S', retry: { maxAttempts: 3, initialInterval: 'PT1S', jitter: 0 } },
  },
};

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('OpenTelemetry across the services', () => {
  const receiver = new OtlpReceiver();
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let steps: ServiceProcess;
  let http: ReturnType<typeof httpClient>;

  before(async () => {
    const endpoint = await receiver.start();
    db = await freshDatabase('otel');
    const namespace = uniqueName('otel').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    const common = { ...otel, KAFKA_BROKERS: brokers, BATON_TOPIC_NAMESPACE: namespace, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000' };
    await ensureTopics(createKafka({ clientId: `${namespace}-admin`, brokers: kafkaBrokers() }), topicSpecs(loadTopicPlan(), [topicNames(namespace).step('noop')]));
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      ...common, DATABASE_URL: db.url, PORT: '0', BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_TIMER_POLL_MS: '50',
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    gateway = new ServiceProcess('services/gateway/src/main.ts', { ...common, DATABASE_URL: db.url, PORT: String(port), ...issuer.env });
    steps = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', { ...common, OTEL_SERVICE_NAME: 'otel-steps' });
    await Promise.all([gateway.start(), steps.start()]);
    http = httpClient(`http://127.0.0.1:${port}`, await issuer.headers({ subject: 'otel-test' }));
  });

  after(async () => {
    await steps?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
    await receiver.stop();
  });

  it('exports one trace per case: HTTP request, gateway send, orchestrator, step attempts, results, the retry timer', async () => {
    assert.equal((await http.put('/workflows', workflow)).status, 201);
    const started = await http.post('/cases', { workflow: workflow.name, key: 'traced-1', input: { n: 1 } }, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    assert.ok(started.status === 201 || started.status === 202, started.text);
    const caseId = started.body.caseId as string;
    assert.ok(caseId, started.text);
    await until(async () => (await http.get(`/cases/${caseId}`)).body?.summary?.status === 'completed', 'the case to complete');
    // The last result's handling is exported within the batch delay (100 ms) of its end.
    const results = () => receiver.spans.filter((s) => s.service === 'baton-orchestrator' && s.kind === CONSUMER && s.name.endsWith('step-results') && s.attributes['messaging.kafka.message.key'] === caseId);
    await until(async () => results().length >= 3, 'the orchestrator to export the handling of three step results');

    const ofCase = receiver.spans.filter((s) => s.attributes['messaging.kafka.message.key'] === caseId || s.attributes['baton.case_id'] === caseId);
    const traceIds = new Set(ofCase.map((s) => s.traceId));
    assert.deepEqual([...traceIds], ['0af7651916cd43dd8448eb211c80319c'], `every span of the case is in the caller's trace: ${show(ofCase)}`);
    const trace = receiver.spans.filter((s) => s.traceId === '0af7651916cd43dd8448eb211c80319c');
    const byId = new Map(trace.map((s) => [s.spanId, s]));

    const http_ = trace.find((s) => s.service === 'baton-gateway' && s.kind === SERVER);
    assert.ok(http_, `a gateway SERVER span: ${show(trace)}`);
    assert.equal(http_.name, 'POST /cases');
    assert.equal(http_.parentSpanId, 'b7ad6b7169203331', 'the HTTP span is a child of the caller\'s traceparent');

    // Messaging conventions on every Kafka span.
    for (const s of trace.filter((x) => x.kind === PRODUCER || x.kind === CONSUMER)) {
      assert.equal(s.attributes['messaging.system'], 'kafka', s.name);
      assert.equal(s.name, `${s.kind === PRODUCER ? 'send' : 'process'} ${s.attributes['messaging.destination.name']}`);
    }

    // Each result's handling leads back, parent by parent, through the step service and the orchestrator to the HTTP request.
    for (const last of results()) {
      const path: ReceivedSpan[] = [];
      for (let s: ReceivedSpan | undefined = last; s; s = byId.get(s.parentSpanId)) path.push(s);
      assert.equal(path[path.length - 1], http_, `the chain ends at the HTTP span: ${show(path)}`);
      const services = path.map((s) => s.service).reverse().filter((v, i, a) => v !== a[i - 1]);
      assert.deepEqual(services.slice(0, 4), ['baton-gateway', 'baton-orchestrator', 'otel-steps', 'baton-orchestrator'], show(path));
    }
    const attempts = trace.filter((s) => s.service === 'otel-steps' && s.attributes['baton.step_id'] === 'workspace');
    assert.ok(attempts.some((s) => s.attributes['baton.attempt'] === 2), `the retried attempt is in the trace: ${show(attempts)}`);
    const timer = trace.find((s) => s.name === 'fire timer retry');
    assert.ok(timer, `the retry timer's firing is in the case's trace: ${show(trace)}`);
    assert.equal(byId.get(timer.parentSpanId)?.service, 'baton-orchestrator');
  });
});

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function show(spans: readonly ReceivedSpan[]): string {
  return spans.map((s) => `${s.service}:${s.name}(${s.spanId}<-${s.parentSpanId || '-'})`).join(', ');
}
