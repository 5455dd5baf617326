import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadContracts, topicNames, type TopicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, loseTimers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { TestStepWorker } from '@baton/step-testing';
import { httpClient, type HttpResult } from './testing/http';

const queue = uniqueName('review-q');

/** Two noop steps, one skipped by its `when`, then a model step that reports tokens. */
const flow = {
  name: 'gw-flow', version: 1, input: 'baton.steps.noop.Input',
  steps: {
    a: { type: 'noop' },
    b: { type: 'noop', needs: ['a'] },
    c: { type: 'noop', needs: ['a'], when: 'case.input.n > 100' },
    d: { type: 'text.classify', needs: ['b'], input: "{ 'subject': 'hello', 'text': 'world' }" },
  },
};

const reviewYaml = `
name: gw-review
version: 1
input: baton.examples.InboxMessage
steps:
  classify:
    type: text.classify
    input: "{ 'subject': case.input.messageId, 'text': case.input.raw }"
    review: { when: 'true', queue: ${queue} }
  after:
    type: noop
    needs: [classify]
`;

const flaky = {
  name: 'gw-flaky', version: 1, input: 'baton.steps.noop.Input',
  steps: { first: { type: 'noop' }, shaky: { type: 'noop', needs: ['first'], retry: { maxAttempts: 1 } } },
};

const hold = { name: 'gw-hold', version: 1, input: 'baton.steps.noop.Input', steps: { wait: { type: 'noop', timeout: 'PT120S' } } };
const noInput = { name: 'gw-no-input', version: 1, steps: { a: { type: 'noop' } } };

const classified = { label: 'ham', confidence: 0.42, model: 'test-model', modelVersion: '1' };

describe('the gateway over HTTP, against the orchestrator, Kafka and Postgres', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let worker: TestStepWorker;
  let topics: TopicNames;
  let http: ReturnType<typeof httpClient>;
  const shakyFailed = new Set<string>();

  before(async () => {
    db = await freshDatabase('gateway');
    const namespace = uniqueName('gw').replace(/[^A-Za-z0-9_-]/g, '');
    topics = topicNames(namespace);
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_TIMER_POLL_MS: '50',
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env });
    await gateway.start();
    http = httpClient(`http://127.0.0.1:${port}`, await issuer.headers({ subject: 'gateway-test' }));
    const kafka = createKafka({ clientId: `${namespace}-worker`, brokers: kafkaBrokers() });
    // The worker subscribes before the workflows are registered, so it creates the step topics itself (as registration would).
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop'), topics.step('text.classify')]));
    worker = new TestStepWorker(kafka, loadContracts(), topics, ['noop', 'text.classify'], (r) => {
      if (r.stepId === 'wait') return 'silence';
      if (r.stepId === 'shaky' && !shakyFailed.has(r.caseId)) {
        shakyFailed.add(r.caseId);
        return { fail: { name: 'LedgerClosed', message: 'the ledger is closed', retryable: false } };
      }
      if (r.stepType === 'text.classify') return { output: classified, metering: { model: 'test-model', inputTokens: 120, outputTokens: 8, costUsd: 0.0021 } };
      return { output: { ok: true } };
    });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
  });

  /** Polls `GET /cases/{id}` until the case has `status`. */
  async function until(caseId: string, status: string, timeoutMs = 30000): Promise<HttpResult> {
    const deadline = Date.now() + timeoutMs;
    let last: HttpResult | undefined;
    while (Date.now() < deadline) {
      last = await http.get(`/cases/${caseId}`);
      if (last.status === 200 && last.body.summary.status === status) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`case ${caseId} did not reach '${status}' within ${timeoutMs} ms; last: ${last?.status} ${last?.text.slice(0, 400)}`);
  }

  function assertProblem(res: HttpResult, status: number, fields: string[] = []): void {
    assert.equal(res.status, status, res.text);
    assert.match(res.contentType, /^application\/problem\+json/);
    for (const k of ['type', 'title', 'status', 'detail', 'instance']) assert.ok(k in res.body, `problem has ${k}: ${res.text}`);
    assert.equal(res.body.status, status);
    const named = (res.body.errors ?? []).map((e: { field: string }) => e.field);
    for (const f of fields) assert.ok(named.includes(f), `errors name '${f}': ${res.text}`);
  }

  const start = (workflow: string, input: unknown, extra: Record<string, unknown> = {}) => http.post('/cases', { workflow, input, ...extra });

  describe('workflows', () => {
    it('registers a JSON definition (201), the same content again (200), and a YAML one (201)', async () => {
      const first = await http.put('/workflows', flow);
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.created, true);
      assert.match(first.body.workflow.checksum, /^[0-9a-f]{64}$/);
      const again = await http.put('/workflows', flow);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.created, false);
      const yaml = await http.put('/workflows', reviewYaml, { 'content-type': 'text/yaml' });
      assert.equal(yaml.status, 201, yaml.text);
      for (const w of [flaky, hold, noInput]) assert.equal((await http.put('/workflows', w)).status, 201);
    });

    it('refuses a cycle, an unknown need, bad JSONata and a step type without a contract, naming each step and field', async () => {
      const cycle = await http.put('/workflows', { name: 'gw-bad', version: 1, steps: { x: { type: 'noop', needs: ['y'] }, y: { type: 'noop', needs: ['x'] } } });
      assertProblem(cycle, 400);
      assert.ok(cycle.body.errors.some((e: { step: string; field: string }) => ['x', 'y'].includes(e.step) && /\.needs$/.test(e.field)), cycle.text);
      const unknownNeed = await http.put('/workflows', { name: 'gw-bad', version: 1, steps: { x: { type: 'noop', needs: ['ghost'] } } });
      assertProblem(unknownNeed, 400, ['steps.x.needs']);
      assert.match(unknownNeed.body.errors[0].message, /ghost/);
      const jsonata = await http.put('/workflows', { name: 'gw-bad', version: 1, steps: { x: { type: 'noop', when: '((' } } });
      assertProblem(jsonata, 400, ['steps.x.when']);
      assert.equal(jsonata.body.errors[0].step, 'x');
      const noContract = await http.put('/workflows', { name: 'gw-bad', version: 1, input: 'baton.nope.Record', steps: { x: { type: 'no.such.type' } } });
      assertProblem(noContract, 400, ['steps.x.type', 'input']);
      const yamlSyntax = await http.put('/workflows', 'name: [unclosed', { 'content-type': 'application/yaml' });
      assertProblem(yamlSyntax, 400, ['(yaml)']);
      assertProblem(await http.put('/workflows', '{not json', { 'content-type': 'application/json' }), 400, ['(body)']);
      assertProblem(await http.put('/workflows', 'name: x', { 'content-type': 'text/plain' }), 415);
    });

    it('refuses other content under a registered version with 409', async () => {
      const changed = await http.put('/workflows', { ...flow, steps: { ...flow.steps, e: { type: 'noop', needs: ['d'] } } });
      assertProblem(changed, 409);
      assert.match(changed.body.detail, /version 2/);
    });

    it('lists versions, returns a definition with its checksum, and draws its graph as Mermaid text or JSON', async () => {
      const list = await http.get('/workflows');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.map((w: { name: string }) => w.name).sort(), ['gw-flaky', 'gw-flow', 'gw-hold', 'gw-no-input', 'gw-review']);
      const one = await http.get('/workflows/gw-flow');
      assert.equal(one.status, 200);
      assert.equal(one.body.version, 1);
      assert.deepEqual(one.body.definition, flow);
      assert.equal(one.body.checksum, list.body.find((w: { name: string }) => w.name === 'gw-flow').checksum);
      assert.equal((await http.get('/workflows/gw-flow?version=1')).status, 200);
      assertProblem(await http.get('/workflows/gw-flow?version=2'), 404);
      assertProblem(await http.get('/workflows/gw-flow?version=two'), 400, ['version']);
      assertProblem(await http.get('/workflows/ghost'), 404);
      const text = await http.get('/workflows/gw-review/graph');
      assert.equal(text.status, 200);
      assert.match(text.contentType, /^text\/plain/);
      assert.match(text.text, /^flowchart TD\n/);
      assert.match(text.text, /review: /);
      assert.match(text.text, /classify --> after/);
      const json = await http.get('/workflows/gw-review/graph', { accept: 'application/json' });
      assert.equal(json.body.mermaid, text.text);
      assert.equal(json.body.version, 1);
      assert.deepEqual(json.body.nodes, { classify: 'classify', after: 'after' });
      assertProblem(await http.get('/workflows/ghost/graph'), 404);
    });
  });

  describe('cases', () => {
    let caseId = '';

    it('starts a case (202 with Location), and the same key names the same case once', async () => {
      const res = await start('gw-flow', { n: 1 }, { key: 'order-1' });
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.workflow, 'gw-flow');
      assert.equal(res.body.version, 1);
      caseId = res.body.caseId;
      assert.equal(res.headers.get('location'), `/cases/${caseId}`);
      const same = await start('gw-flow', { n: 1 }, { key: 'order-1' });
      assert.equal(same.status, 202);
      assert.equal(same.body.caseId, caseId);
      const done = await until(caseId, 'completed');
      const third = await start('gw-flow', { n: 1 }, { key: 'order-1' });
      assert.equal(third.body.caseId, caseId);
      assert.equal(third.body.deduplicated, true);
      assert.equal(done.body.summary.caseKey, 'order-1');
      const page = await http.get('/cases?workflow=gw-flow');
      assert.equal(page.body.items.filter((c: { caseKey: string }) => c.caseKey === 'order-1').length, 1);
    });

    it('refuses a bad request naming each field, an input that breaks the record, and unknown workflows', async () => {
      assertProblem(await http.post('/cases', {}), 400, ['workflow', 'input']);
      assertProblem(await http.post('/cases', [1, 2]), 400, ['(body)']);
      assertProblem(await start('gw-flow', { n: 1 }, { version: 'one', key: 7 }), 400, ['version', 'key']);
      const bad = await start('gw-review', { messageId: 'm', raw: 42 });
      assertProblem(bad, 400, ['input.raw', 'input.receivedAt']);
      assertProblem(await start('gw-no-input', {}), 400, ['workflow']);
      assertProblem(await start('ghost', {}), 404);
      assertProblem(await start('gw-flow', { n: 1 }, { version: 9 }), 404);
    });

    it('refuses text PostgreSQL cannot store with a 400 naming the field, and what Kafka cannot carry with a 413', async () => {
      const mail = { messageId: 'nul', raw: 'Subject: x\r\n\r\nhello', receivedAt: 1 };
      assertProblem(await start('gw-review', mail, { key: 'a\u0000b' }), 400, ['key']);
      const nulRaw = await start('gw-review', { ...mail, raw: 'a NUL \u0000 inside' });
      assertProblem(nulRaw, 400, ['input.raw']);
      assert.match(nulRaw.text, /NUL character/);
      assertProblem(await start('gw-review', { ...mail, raw: 'lone \ud800 surrogate' }), 400, ['input.raw']);
      assertProblem(await start('gw-review\u0000x', mail), 400, ['workflow']);
      assertProblem(await http.get('/cases?workflow=a%00b'), 400, ['workflow']);
      assertProblem(await http.get('/cases/a%00b'), 400, ['id']);
      const tooLargeBody = await start('gw-review', { ...mail, raw: 'x'.repeat(2 * 1024 * 1024) });
      assertProblem(tooLargeBody, 413);
      const tooLargeInput = await start('gw-review', { ...mail, raw: 'x'.repeat(900 * 1000) });
      assertProblem(tooLargeInput, 413, ['input']);
      assert.match(tooLargeInput.body.detail, /input is \d+ bytes as JSON, above the limit of 524288 bytes/);
    });

    it('returns the case with its step executions', async () => {
      const res = await http.get(`/cases/${caseId}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.summary.status, 'completed');
      assert.equal(res.body.summary.steps.c.status, 'skipped');
      assert.deepEqual(res.body.executions.map((e: { stepId: string }) => e.stepId), ['a', 'b', 'd']);
      assert.equal(res.body.executions[2].model, 'test-model');
    });

    it('returns the event history from the event store', async () => {
      const res = await http.get(`/cases/${caseId}/events`);
      assert.equal(res.status, 200);
      const types = res.body.map((e: { type: string }) => e.type);
      assert.equal(types[0], 'CaseStarted');
      assert.equal(types.at(-1), 'CaseCompleted');
      assert.ok(types.includes('StepSkipped'));
      assert.deepEqual(res.body.map((e: { streamPosition: number }) => e.streamPosition), types.map((_: string, i: number) => i + 1));
      assert.equal(res.body[0].data.input.n, 1);
      assert.ok(res.body[0].metadata && typeof res.body[0].recordedAt === 'string' && res.body[0].globalPosition > 0);
    });

    it('returns the trace: every step and attempt with timings, skip reasons and model usage', async () => {
      const res = await http.get(`/cases/${caseId}/trace`);
      assert.equal(res.status, 200);
      const t = res.body;
      assert.equal(t.status, 'completed');
      assert.ok(t.durationMs >= 0);
      assert.deepEqual(t.steps.map((s: { stepId: string }) => s.stepId).sort(), ['a', 'b', 'c', 'd']);
      const byId = Object.fromEntries(t.steps.map((s: { stepId: string }) => [s.stepId, s]));
      assert.equal(byId.c.skipReason, 'when-false');
      assert.equal(byId.c.attempts.length, 0);
      assert.equal(byId.a.attempts[0].startOffsetMs >= 0, true);
      assert.ok(byId.b.attempts[0].startOffsetMs >= byId.a.attempts[0].startOffsetMs);
      const d = byId.d.attempts[0];
      assert.deepEqual([d.status, d.model, d.inputTokens, d.outputTokens, d.costUsd], ['completed', 'test-model', 120, 8, 0.0021]);
      assert.deepEqual(d.input, { subject: 'hello', text: 'world' });
      assert.deepEqual(d.output, classified);
      assert.equal(t.totals.inputTokens, 120);
    });

    it('lists cases in pages and by workflow and status, and refuses a bad limit, status or cursor', async () => {
      const more = await Promise.all([2, 3, 4].map((n) => start('gw-flow', { n })));
      for (const r of more) await until(r.body.caseId, 'completed');
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: HttpResult = await http.get(`/cases?workflow=gw-flow&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.body.items.length <= 2);
        seen.push(...res.body.items.map((c: { caseId: string }) => c.caseId));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 2);
      assert.equal(new Set(seen).size, 4);
      assert.ok([caseId, ...more.map((r) => r.body.caseId)].every((id) => seen.includes(id)));
      const completed = await http.get('/cases?status=completed&workflow=gw-flow');
      assert.equal(completed.body.items.length, 4);
      assert.equal((await http.get('/cases?status=failed&workflow=gw-flow')).body.items.length, 0);
      assertProblem(await http.get('/cases?limit=0'), 400, ['limit']);
      assertProblem(await http.get('/cases?limit=ten'), 400, ['limit']);
      for (const bad of ['501', '99999999999', '1.5', '-1']) assertProblem(await http.get(`/cases?limit=${bad}`), 400, ['limit']);
      assertProblem(await http.get('/tasks?limit=501'), 400, ['limit']);
      assert.equal((await http.get('/cases?limit=500')).status, 200);
      assertProblem(await http.get('/cases?status=done'), 400, ['status']);
      assertProblem(await http.get('/cases?cursor=not-a-cursor'), 400, ['cursor']);
      const keys = (res: HttpResult) => res.body.items.map((c: { caseKey: string | null }) => c.caseKey);
      assert.deepEqual(keys(await http.get('/cases?key=order-')), ['order-1']);
      assert.deepEqual(keys(await http.get('/cases?key=order-2')), []);
      const first = (await http.get(`/cases/${caseId}`)).body.summary.startedAt as string;
      const ranged = await http.get(`/cases?workflow=gw-flow&from=${encodeURIComponent(first)}&to=${encodeURIComponent(new Date(Date.parse(first) + 1).toISOString())}`);
      assert.deepEqual(ranged.body.items.map((c: { caseId: string }) => c.caseId), [caseId], 'from is inclusive, to exclusive');
      assert.equal((await http.get(`/cases?workflow=gw-flow&to=${encodeURIComponent(first)}`)).body.items.length, 0);
      assertProblem(await http.get('/cases?from=yesterday&to=2026-13-45'), 400, ['from', 'to']);
    });

    it('answers 404 problem details for unknown cases', async () => {
      for (const path of ['/cases/no-such-case', '/cases/no-such-case/events', '/cases/no-such-case/trace']) assertProblem(await http.get(path), 404);
      assertProblem(await http.post('/cases/no-such-case/retry', { step: 'a' }), 404);
      assertProblem(await http.post('/cases/no-such-case/cancel', { reason: 'r' }), 404);
    });

    it('retries a failed case from a step, after which it completes; refuses retrying a case that is not failed', async () => {
      const started = await start('gw-flaky', { n: 1 });
      const id = started.body.caseId;
      const failed = await until(id, 'failed');
      assert.equal(failed.body.summary.failure.error.name, 'LedgerClosed');
      assertProblem(await http.post(`/cases/${id}/retry`, {}), 400, ['step']);
      assertProblem(await http.post(`/cases/${id}/retry`, { step: 'ghost' }), 400, ['step']);
      const retry = await http.post(`/cases/${id}/retry`, { step: 'shaky', requestedBy: 'ops' });
      assert.equal(retry.status, 202, retry.text);
      assert.match(retry.body.signalId, /^[0-9a-f-]{36}$/);
      const done = await until(id, 'completed');
      assert.deepEqual(done.body.executions.filter((e: { stepId: string }) => e.stepId === 'shaky').map((e: { status: string }) => e.status), ['failed', 'completed']);
      assertProblem(await http.post(`/cases/${caseId}/retry`, { step: 'a' }), 409);
    });

    it('cancels a running case; refuses a cancel without reason, and of an ended case', async () => {
      const id = (await start('gw-hold', { n: 1 })).body.caseId;
      await until(id, 'running');
      assertProblem(await http.post(`/cases/${id}/cancel`, {}), 400, ['reason']);
      const cancel = await http.post(`/cases/${id}/cancel`, { reason: 'customer withdrew' });
      assert.equal(cancel.status, 202, cancel.text);
      const cancelled = await until(id, 'cancelled');
      assert.equal(cancelled.body.summary.cancellation.reason, 'customer withdrew');
      assertProblem(await http.post(`/cases/${id}/cancel`, { reason: 'again' }), 409);
      assertProblem(await http.post(`/cases/${caseId}/cancel`, { reason: 'too late' }), 409);
    });

    it('pauses, resumes and resets a case; refuses a resume of a case not paused, a second pause, a bad step, an unknown case', async () => {
      const id = (await start('gw-hold', { n: 7 })).body.caseId;
      await until(id, 'running');
      /** Polls the case until `probe` holds of its summary. */
      const summaryWhere = async (probe: (s: { controls: { paused: unknown; resets: number } | null }) => boolean, what: string) => {
        for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
          const got = await http.get(`/cases/${id}`);
          if (got.status === 200 && probe(got.body.summary)) return got.body.summary;
        }
        throw new Error(`case ${id}: ${what}`);
      };
      assertProblem(await http.post(`/cases/${id}/resume`, {}), 409);
      assertProblem(await http.post(`/cases/${id}/pause`, { reason: 7 }), 400, ['reason']);
      const pause = await http.post(`/cases/${id}/pause`, { reason: 'audit', requestedBy: 'ops' });
      assert.equal(pause.status, 202, pause.text);
      const paused = await summaryWhere((s) => s.controls?.paused != null, 'paused');
      assert.deepEqual([paused.controls!.paused], [{ by: 'gateway-test', reason: 'audit', at: (paused.controls!.paused as { at: string }).at }]);
      assertProblem(await http.post(`/cases/${id}/pause`, {}), 409);
      assert.equal((await http.post(`/cases/${id}/resume`)).status, 202);
      await summaryWhere((s) => s.controls !== null && s.controls.paused === null, 'resumed');
      assertProblem(await http.post(`/cases/${id}/reset`, {}), 400, ['step']);
      assertProblem(await http.post(`/cases/${id}/reset`, { step: 'ghost' }), 400, ['step']);
      assert.equal((await http.post(`/cases/${id}/reset`, { step: 'wait', reason: 'stale input' })).status, 202);
      await summaryWhere((s) => s.controls?.resets === 1, 'reset');
      const trace = await http.get(`/cases/${id}/trace`);
      assert.equal(trace.body.controls.resets, 1);
      assert.deepEqual(trace.body.steps.find((st: { stepId: string }) => st.stepId === 'wait').attempts.map((a: { status: string }) => a.status), ['abandoned', 'running']);
      for (const path of ['pause', 'resume']) assertProblem(await http.post(`/cases/no-such-case/${path}`, {}), 404);
      assertProblem(await http.post('/cases/no-such-case/reset', { step: 'a' }), 404);
      assertProblem(await http.post(`/cases/${caseId}/pause`, {}), 409);
      await http.post(`/cases/${id}/cancel`, { reason: 'done with it' });
    });

    it('lists a case whose timer is gone as stuck, with the reason, and repairs it; refuses repairing an unknown or ended case', async () => {
      const id = (await start('gw-hold', { n: 2 })).body.caseId;
      await until(id, 'running');
      assert.ok(!(await http.get('/cases/stuck')).body.some((c: { caseId: string }) => c.caseId === id), 'not stuck while its timeout timer is pending');
      assert.ok((await loseTimers(db.url, id)) >= 1);
      const stuck = await http.get('/cases/stuck?workflow=gw-hold');
      assert.equal(stuck.status, 200, stuck.text);
      const entry = stuck.body.find((c: { caseId: string }) => c.caseId === id);
      assert.ok(entry, stuck.text);
      assert.deepEqual(entry.missingTimers.map((t: { kind: string; stepId: string }) => [t.kind, t.stepId]), [['attempt-timeout', 'wait']]);
      assert.match(entry.reasons[0], /attempt 1 of step 'wait' is running with no timeout timer/);
      assert.equal(entry.repair, `baton case ${id} --repair`);
      assertProblem(await http.post('/cases/no-such-case/repair', {}), 404);
      assertProblem(await http.post(`/cases/${caseId}/repair`, {}), 409);
      const repair = await http.post(`/cases/${id}/repair`, { requestedBy: 'sre' });
      assert.equal(repair.status, 202, repair.text);
      const deadline = Date.now() + 20000;
      while (Date.now() < deadline && (await http.get('/cases/stuck')).body.some((c: { caseId: string }) => c.caseId === id)) await new Promise((r) => setTimeout(r, 100));
      assert.ok(!(await http.get('/cases/stuck')).body.some((c: { caseId: string }) => c.caseId === id), 'repaired: its timer is back');
      const events = await http.get(`/cases/${id}/events`);
      assert.ok(events.body.some((e: { type: string }) => e.type === 'CaseRepaired'), events.text);
      await http.post(`/cases/${id}/cancel`, { reason: 'test done' });
    });
  });

  describe('tasks', () => {
    it('lists a review task, refuses bad decisions naming the field, approves it, and the case completes', async () => {
      const input = { messageId: 'msg-1', raw: 'Subject: hi\n\nhello', receivedAt: Date.now(), mailbox: null };
      const id = (await start('gw-review', input)).body.caseId;
      await until(id, 'awaiting-review');
      const list = await http.get(`/tasks?queue=${queue}`);
      assert.equal(list.status, 200);
      assert.equal(list.body.length, 1);
      const task = list.body[0];
      assert.equal(task.caseId, id);
      assert.deepEqual(task.output, classified);
      assertProblem(await http.get('/tasks?status=closed'), 400, ['status']);
      const one = await http.get(`/tasks/${encodeURIComponent(task.taskId)}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.context.case.input.messageId, 'msg-1');
      const path = `/tasks/${encodeURIComponent(task.taskId)}/decision`;
      assertProblem(await http.post(path, { decision: 'maybe' }), 400, ['decision']);
      assertProblem(await http.post(path, { decision: 'edit' }), 400, ['output']);
      const broken = await http.post(path, { decision: 'edit', output: { ...classified, confidence: 'high' } });
      assertProblem(broken, 400, ['output.confidence']);
      assert.equal(broken.body.errors.length, 1);
      const schema = await http.get(`/tasks/${encodeURIComponent(task.taskId)}/output-schema`);
      assert.equal(schema.status, 200, schema.text);
      assert.equal(schema.body.record, 'baton.steps.text_classify.Output');
      assert.ok(schema.body.schema.fields.some((f: { name: string }) => f.name === 'confidence'));
      const check = (output: unknown) => http.post(`/tasks/${encodeURIComponent(task.taskId)}/output/check`, { output });
      const bad = await check({ ...classified, confidence: 'high', extra: 1 });
      assert.equal(bad.status, 200, bad.text);
      assert.equal(bad.body.valid, false);
      assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['output.confidence', 'output.extra']);
      assert.deepEqual((await check({ ...classified, label: 'spam' })).body, { valid: true, record: 'baton.steps.text_classify.Output', errors: [] });
      assertProblem(await http.post(`/tasks/${encodeURIComponent(task.taskId)}/output/check`, {}), 400, ['output']);
      assertProblem(await http.get('/tasks/no-such-task/output-schema'), 404);
      assertProblem(await http.get('/tasks/no-such-task'), 404);
      assertProblem(await http.post('/tasks/no-such-task/decision', { decision: 'approve' }), 404);
      const approve = await http.post(path, { decision: 'approve', comment: 'looks right', reviewer: 'ada' });
      assert.equal(approve.status, 202, approve.text);
      assert.equal(approve.body.caseId, id);
      await until(id, 'completed');
      assertProblem(await http.post(path, { decision: 'reject' }), 409);
      const trace = await http.get(`/cases/${id}/trace`);
      const review = trace.body.steps.find((s: { stepId: string }) => s.stepId === 'classify').reviews[0];
      assert.deepEqual([review.status, review.decision, review.reviewer, review.comment, review.queue], ['decided', 'approve', 'ada', 'looks right', queue]);
      assert.equal((await http.get(`/tasks?queue=${queue}`)).body.length, 0);
      assert.equal((await http.get(`/tasks?queue=${queue}&status=decided`)).body.length, 1);
    });

    it('sends an edit as a record of the step type\'s output contract, and the edited output stands in the case', async () => {
      const input = { messageId: 'msg-edit', raw: 'Subject: hi\n\nhello', receivedAt: Date.now(), mailbox: null };
      const id = (await start('gw-review', input)).body.caseId;
      await until(id, 'awaiting-review');
      const task = (await http.get(`/tasks?queue=${queue}`)).body.find((t: { caseId: string }) => t.caseId === id);
      const edited = { ...classified, confidence: 0.99 };
      const decided = await http.post(`/tasks/${encodeURIComponent(task.taskId)}/decision`, { decision: 'edit', output: edited, reviewer: 'ada' });
      assert.equal(decided.status, 202, decided.text);
      await until(id, 'completed');
      const events = (await http.get(`/cases/${id}/events`)).body as { type: string; data: { decision?: string; output?: unknown } }[];
      const decision = events.find((e) => e.type === 'ReviewDecided')!;
      assert.deepEqual([decision.data.decision, decision.data.output], ['edit', edited]);
      const trace = await http.get(`/cases/${id}/trace`);
      const review = trace.body.steps.find((st: { stepId: string }) => st.stepId === 'classify').reviews[0];
      assert.deepEqual([review.decision, review.editedOutput, review.reviewer], ['edit', edited, 'ada']);
    });
  });

  describe('operations', () => {
    it('serves the OpenAPI document listing every route, and the Swagger UI', async () => {
      const doc = await http.get('/docs-json');
      assert.equal(doc.status, 200);
      const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      for (const r of ['POST /cases', 'GET /cases', 'GET /cases/{id}', 'GET /cases/{id}/events', 'GET /cases/{id}/trace', 'POST /cases/{id}/retry', 'POST /cases/{id}/cancel', 'POST /cases/{id}/repair', 'GET /cases/stuck',
        'GET /tasks', 'GET /tasks/{id}', 'POST /tasks/{id}/decision', 'PUT /workflows', 'GET /workflows', 'GET /workflows/{name}', 'GET /workflows/{name}/graph',
        'GET /tasks/{id}/output-schema', 'POST /tasks/{id}/output/check']) {
        assert.ok(routes.includes(r), `${r} is documented`);
      }
      assert.ok(doc.body.components.schemas.Problem);
      const param = (path: string, method: string, name: string) => (doc.body.paths[path][method].parameters as { name: string; schema: unknown }[]).find((p) => p.name === name)?.schema;
      assert.deepEqual(param('/cases', 'get', 'limit'), { type: 'integer', format: 'int32', minimum: 1, maximum: 500, default: 50 });
      assert.deepEqual(param('/tasks', 'get', 'limit'), { type: 'integer', format: 'int32', minimum: 1, maximum: 500, default: 100 });
      assert.deepEqual(param('/cases', 'get', 'cursor'), { type: 'string', format: 'base64url' });
      assert.deepEqual(param('/cases', 'get', 'workflow'), { type: 'string', minLength: 1, pattern: '\\S' });
      assert.deepEqual(param('/tasks', 'get', 'queue'), { type: 'string', minLength: 1, pattern: '\\S' });
      assert.deepEqual(param('/workflows/{name}', 'get', 'version'), { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 });
      assert.ok(doc.body.paths['/cases/{id}'].get.responses['404'].content['application/problem+json']);
      const ui = await http.get('/docs');
      assert.equal(ui.status, 200);
      assert.match(ui.contentType, /text\/html/);
    });

    it('serves /metrics with request counts by route, and /health', async () => {
      const metrics = await http.get('/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /baton_http_requests_total\{route="\/cases\/:id",method="GET",status="200"/);
      assert.match(metrics.text, /baton_http_requests_total\{route="\/cases",method="POST",status="202"/);
      assert.match(metrics.text, /baton_http_request_duration_seconds_bucket/);
      const ready = await http.get('/health/ready');
      assert.equal(ready.status, 200, ready.text);
      assert.deepEqual(ready.body, { status: 'ok', checks: { postgres: 'ok', kafkaProducer: 'ok' } });
      assert.equal((await http.get('/health/live')).status, 200);
      assertProblem(await http.get('/no/such/route'), 404);
    });

    it('serves the web console and the npm packages it loads, and sends / there', async () => {
      const page = await http.get('/console/');
      assert.equal(page.status, 200);
      assert.match(page.contentType, /text\/html/);
      assert.match(page.text, /<script type="importmap">/);
      for (const file of ['app.js', 'pages/inbox.js', 'vendor/preact/preact.module.js', 'vendor/preact-hooks/hooks.module.js', 'vendor/htm/htm.module.js', 'vendor/mermaid/mermaid.min.js']) {
        const res = await http.get(`/console/${file}`);
        assert.equal(res.status, 200, file);
        assert.match(res.contentType, /javascript/, file);
      }
      const root = await fetch(`${http.base}/`, { redirect: 'manual' });
      assert.equal(root.status, 302);
      assert.equal(root.headers.get('location'), '/console/');
      assertProblem(await http.get('/console/no-such-file.js'), 404);
    });
  });
});
