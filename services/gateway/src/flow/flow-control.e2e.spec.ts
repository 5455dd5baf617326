import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadContracts, topicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { TestStepWorker } from '@baton/step-testing';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { httpClient, type HttpResult } from '../testing/http';

const escalating = {
  name: 'gw-escalating', version: 1, input: 'baton.steps.noop.Input',
  steps: {
    charge: { type: 'noop', retry: { maxAttempts: 1 }, onExhausted: 'waitForOperator' },
    receipt: { type: 'noop', needs: ['charge'] },
  },
};

describe('flow control over HTTP: /limits, /breakers and resolving a step that waits for an operator', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let worker: TestStepWorker;
  let http: ReturnType<typeof httpClient>;
  let authHeaders: Record<string, string> = {};
  const del = async (path: string) => (await fetch(`${http.base}${path}`, { method: 'DELETE', headers: authHeaders })).status;

  before(async () => {
    db = await freshDatabase('gw-flow-control');
    const namespace = uniqueName('gwfc').replace(/[^A-Za-z0-9_-]/g, '');
    const topics = topicNames(namespace);
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_TIMER_POLL_MS: '50',
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    authHeaders = await issuer.headers({ subject: 'flow-test' });
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env });
    await gateway.start();
    http = httpClient(`http://127.0.0.1:${port}`, authHeaders);
    const kafka = createKafka({ clientId: `${namespace}-worker`, brokers: kafkaBrokers() });
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop')]));
    worker = new TestStepWorker(kafka, loadContracts(), topics, ['noop'], (r) => (r.stepId === 'charge'
      ? { fail: { name: 'CardDeclined', message: 'declined', retryable: true } }
      : { output: { ok: true } }));
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
  });

  function assertProblem(res: HttpResult, status: number, field?: string): void {
    assert.equal(res.status, status, res.text);
    assert.match(res.contentType, /^application\/problem\+json/);
    if (field) assert.ok((res.body.errors ?? []).some((e: { field: string }) => e.field === field), `errors name '${field}': ${res.text}`);
  }

  it('sets, lists and removes a step type\'s limits, refusing a bad rate naming the field, and shows its breaker', async () => {
    const set = await http.put('/limits/text.draft', { concurrency: 10, rate: '600/m', breaker: { failures: 5, windowMs: 30000, openMs: 10000 } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual([set.body.stepType, set.body.concurrency, set.body.ratePerSecond], ['text.draft', 10, 10]);
    assertProblem(await http.put('/limits/text.draft', { rate: 'fast' }), 400, 'rate');
    assertProblem(await http.put('/limits/text.draft', { concurrency: 0 }), 400, 'concurrency');
    assertProblem(await http.put('/limits/Not_A_Type', {}), 400, 'stepType');
    const listed = await http.get('/limits');
    assert.deepEqual(listed.body.map((l: { stepType: string }) => l.stepType), ['text.draft']);
    const breakers = await http.get('/breakers');
    assert.deepEqual(breakers.body.map((b: { stepType: string; state: string; waiting: number }) => [b.stepType, b.state, b.waiting]), [['text.draft', 'closed', 0]]);
    assert.equal(await del('/limits/text.draft'), 204);
    assert.equal(await del('/limits/text.draft'), 404);
  });

  it('lists an exhausted step in the task inbox and resumes the case when an operator skips it with a valid output', async () => {
    assert.equal((await http.put('/workflows', escalating)).status, 201);
    const started = await http.post('/cases', { workflow: 'gw-escalating', input: { n: 1 } });
    assert.equal(started.status, 202, started.text);
    const caseId = started.body.caseId as string;
    let task: { taskId: string; stepId: string; queue: string } | undefined;
    for (let i = 0; i < 300 && !task; i++) {
      task = (await http.get('/tasks?queue=operators')).body.find((t: { caseId: string }) => t.caseId === caseId);
      if (!task) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(task, 'the exhausted step is an open task in queue operators');
    assert.equal(task.stepId, 'charge');
    assertProblem(await http.post(`/tasks/${encodeURIComponent(task.taskId)}/decision`, { decision: 'approve' }), 400, 'decision');
    assertProblem(await http.post(`/cases/${caseId}/steps/charge/resolve`, { action: 'skip' }), 400, 'output');
    assertProblem(await http.post(`/cases/${caseId}/steps/charge/resolve`, { action: 'skip', output: { ok: 'yes' } }), 400, 'output.ok');
    const resolved = await http.post(`/cases/${caseId}/steps/charge/resolve`, { action: 'skip', output: { ok: true }, principal: 'ops' });
    assert.equal(resolved.status, 202, resolved.text);
    assert.equal(resolved.body.taskId, task.taskId);
    let status = '';
    for (let i = 0; i < 300 && status !== 'completed'; i++) {
      status = (await http.get(`/cases/${caseId}`)).body.summary.status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'completed');
    const events = (await http.get(`/cases/${caseId}/events`)).body.map((e: { type: string }) => e.type);
    assert.ok(events.includes('StepAwaitingOperator') && events.includes('ExhaustedStepResolved'), events.join(', '));
  });
});
