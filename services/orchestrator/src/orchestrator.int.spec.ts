import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { caseIdFor, ContractNames } from '@baton/contracts';
import { DeadLetterHeaders, headersToRecord } from '@baton/kafka';
import { defineWorkflow, type CaseEvent } from '@baton/workflow-engine';
import { collect } from '@baton/testing';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from './orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from './testing/harness';
import { triggerMessage } from './testing/trigger';

const noopInput = 'baton.steps.noop.Input';

const fiveSteps = defineWorkflow({
  name: 'five-steps', version: 1,
  steps: {
    intake: { type: 'noop' },
    enrich: { type: 'noop', needs: ['intake'], retry: { maxAttempts: 3, initialInterval: 'PT0.1S', jitter: 0 } },
    score: { type: 'noop', needs: ['intake'] },
    archive: { type: 'noop', needs: ['score'], when: 'case.input.n > 100' },
    finish: { type: 'noop', needs: ['enrich', 'score', 'archive'], input: "{ 'n': $count(steps.*[status = 'completed']) }" },
  },
});

const timeouts = defineWorkflow({
  name: 'timeouts', version: 1,
  steps: {
    call: { type: 'noop', timeout: 'PT0.5S', retry: { maxAttempts: 2, initialInterval: 'PT0.1S', jitter: 0 }, fallback: 'backup' },
    backup: { type: 'noop' },
    after: { type: 'noop', needs: ['call'] },
  },
});

const pinnedV1 = defineWorkflow({ name: 'pinned', version: 1, steps: { first: { type: 'noop' }, second: { type: 'noop', needs: ['first'] } } });
const pinnedV2 = defineWorkflow({ name: 'pinned', version: 2, steps: { first: { type: 'noop' }, other: { type: 'noop', needs: ['first'] } } });

const typo = defineWorkflow({ name: 'typo', version: 1, steps: { only: { type: 'noop', input: "{ 'n': 1, 'nn': 2 }", retry: { maxAttempts: 3 } } } });

const saga = defineWorkflow({
  name: 'saga', version: 1,
  steps: {
    reserve: { type: 'noop', compensate: 'reply.withdraw' },
    charge: { type: 'noop', needs: ['reserve'], compensate: 'reply.withdraw' },
    ship: { type: 'noop', needs: ['charge'], retry: { maxAttempts: 1 } },
  },
});

describe('the orchestrator against real Kafka and Postgres', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;
  const enrichFailures = new Map<string, number>();
  let releasePinned: () => void = () => undefined;
  const pinnedGate = new Promise<void>((r) => { releasePinned = r; });

  before(async () => {
    world = await createWorld('orch', ['noop', 'reply.withdraw']);
    orchestrator = await startOrchestrator(world);
    for (const w of [fiveSteps, timeouts, saga, typo]) await orchestrator.registerWorkflow(w);
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop', 'reply.withdraw'], (r: SeenRequest) => {
      if (r.stepId === 'enrich' && (enrichFailures.get(r.caseId) ?? 0) === 0) {
        enrichFailures.set(r.caseId, 1);
        return { fail: { name: 'UpstreamUnavailable', retryable: true } };
      }
      if (r.stepId === 'call') return 'silence';
      if (r.stepId === 'first') return pinnedGate.then(() => ({ output: { ok: true } }));
      if (r.stepId === 'ship') return { fail: { name: 'OutOfStock', message: 'no stock left', retryable: false } };
      if (r.stepType === 'reply.withdraw') return { output: { withdrawn: true } };
      return { output: { ok: true } };
    });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  async function start(workflow: string, key?: string, n = 1): Promise<string> {
    const msg = triggerMessage(world.catalog, world.topics.triggers, { workflow, inputName: noopInput, input: { n }, ...(key ? { key } : {}) });
    await world.producer.send([msg]);
    const decoded = world.catalog.decode(msg.value).value as { triggerId: string };
    return caseIdFor({ workflow, key: key ?? null, triggerId: decoded.triggerId });
  }

  async function events(caseId: string): Promise<CaseEvent[]> {
    return (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
  }

  async function ended(caseId: string, timeoutMs = 30000): Promise<CaseEvent[]> {
    return waitFor(async () => {
      const es = await events(caseId);
      return es.some((e) => ['CaseCompleted', 'CaseFailed', 'CaseCancelled'].includes(e.type)) ? es : undefined;
    }, `case ${caseId} to end`, timeoutMs);
  }

  it('completes a five-step workflow with a parallel branch, a condition and a retry', async () => {
    const caseId = await start('five-steps');
    const es = await ended(caseId);
    assert.equal(es.at(-1)!.type, 'CaseCompleted');
    const scheduled = es.filter((e) => e.type === 'StepScheduled').map((e) => `${e.data.stepId}#${e.data.attempt}`);
    assert.deepEqual(scheduled, ['intake#1', 'enrich#1', 'score#1', 'enrich#2', 'finish#1'], 'archive is skipped, enrich retried once');
    const firstBatch = es.findIndex((e) => e.type === 'StepScheduled' && e.data.stepId === 'enrich');
    const next = es[firstBatch + 1]!;
    assert.equal(next.type === 'StepScheduled' && next.data.stepId, 'score', 'enrich and score were dispatched together');
    const skipped = es.find((e) => e.type === 'StepSkipped');
    assert.deepEqual(skipped?.data.stepId, 'archive');
    const retry = es.find((e) => e.type === 'StepRetryScheduled');
    assert.equal(retry?.type === 'StepRetryScheduled' && retry.data.delayMs, 100);
    const finish = worker.seen.find((s) => s.caseId === caseId && s.stepId === 'finish');
    assert.deepEqual(finish?.input, { n: 3 }, 'the JSONata input mapping saw intake, enrich and score completed');
    const summary = await waitFor(async () => {
      const c = await orchestrator.queries.getCase(caseId);
      return c?.summary.status === 'completed' ? c : undefined;
    }, 'the case summary projection');
    assert.equal(summary.summary.workflow, 'five-steps');
    const writers = new Set((await orchestrator.store.readStream(caseId)).map((e) => e.metadata.writer));
    assert.deepEqual([...writers], [world.config.instanceId], 'every event names the instance that decided it');
    const metrics = await orchestrator.metricsRegistry.getSingleMetricAsString('baton_cases_completed_total');
    assert.match(metrics, /baton_cases_completed_total\{workflow="five-steps",service="orchestrator"\} 1/);
  });

  it('starts one case for the same trigger key sent twice, and for a redelivered trigger', async () => {
    const key = `order-${Date.now()}`;
    const first = await start('five-steps', key);
    await start('five-steps', key);
    const msg = triggerMessage(world.catalog, world.topics.triggers, { workflow: 'five-steps', inputName: noopInput, input: { n: 2 }, triggerId: `t-${Date.now()}` });
    await world.producer.send([msg, msg]);
    await ended(first);
    const rows = await orchestrator.store.pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE stream_id = $1 AND event_type = 'CaseStarted'", [first]);
    assert.equal(Number(rows.rows[0]!.n), 1);
    const redelivered = caseIdFor({ workflow: 'five-steps', key: null, triggerId: (world.catalog.decode(msg.value).value as { triggerId: string }).triggerId });
    const es = await ended(redelivered);
    assert.equal(es.filter((e) => e.type === 'CaseStarted').length, 1);
  });

  it('changes nothing for a message its inbox has seen: a redelivered operator retry re-opens a failed case once', async () => {
    const caseId = await start('saga');
    await ended(caseId);
    const retry = world.catalog.encode(ContractNames.RetryCase, { signalId: `retry-${caseId}`, caseId, stepId: 'ship', requestedBy: 'ops', requestedAt: Date.now() });
    await world.producer.send([{ topic: world.topics.signals, key: caseId, value: retry }]);
    const es = await waitFor(async () => {
      const all = await events(caseId);
      return all.filter((e) => e.type === 'CaseFailed').length === 2 ? all : undefined;
    }, 'the re-opened case to fail again');
    // The same signal again, now that the case is failed and a retry would re-open it once more.
    await world.producer.send([{ topic: world.topics.signals, key: caseId, value: retry }]);
    await new Promise((r) => setTimeout(r, 1500));
    const again = await events(caseId);
    assert.equal(again.filter((e) => e.type === 'StepRetriedByOperator').length, 1, 'the duplicate signal was dropped by the inbox');
    assert.equal(again.length, es.length, 'nothing was recorded after the second failure');
    const inbox = await orchestrator.store.pool.query("SELECT count(*)::int AS n FROM inbox WHERE message_id = $1", [`retry-${caseId}`]);
    assert.equal(inbox.rows[0].n, 1);
  });

  it('retries a step that times out, then runs its fallback', async () => {
    const caseId = await start('timeouts');
    const es = await ended(caseId);
    const timedOut = es.filter((e) => e.type === 'StepTimedOut').map((e) => e.type === 'StepTimedOut' && e.data.attempt);
    assert.deepEqual(timedOut, [1, 2]);
    const failed = es.find((e) => e.type === 'StepFailed');
    assert.equal(failed?.type === 'StepFailed' && failed.data.fallbackStepId, 'backup');
    assert.ok(es.some((e) => e.type === 'FallbackStarted'));
    assert.ok(es.some((e) => e.type === 'StepCompleted' && e.data.stepId === 'backup'));
    assert.ok(es.some((e) => e.type === 'StepCompleted' && e.data.stepId === 'after'));
    assert.equal(es.at(-1)!.type, 'CaseCompleted');
  });

  it('runs the compensations of a failing case in reverse order', async () => {
    const caseId = await start('saga');
    const es = await ended(caseId);
    assert.equal(es.at(-1)!.type, 'CaseFailed');
    const comp = es.filter((e) => e.type === 'CompensationScheduled').map((e) => e.type === 'CompensationScheduled' && e.data.stepId);
    assert.deepEqual(comp, ['charge', 'reserve']);
    const seen = worker.seen.filter((s) => s.caseId === caseId && s.stepType === 'reply.withdraw');
    assert.deepEqual(seen.map((s) => s.stepId), ['compensate:charge', 'compensate:reserve']);
    assert.deepEqual(seen[0]!.input, { input: JSON.stringify({ n: 1 }), output: JSON.stringify({ ok: true }) });
    const last = es.at(-1)!;
    assert.equal(last.type === 'CaseFailed' && last.data.error.name, 'OutOfStock');
  });

  it('keeps a case on the definition version it started with when a new version is registered', async () => {
    await orchestrator.registerWorkflow(pinnedV1);
    const caseId = await start('pinned');
    await waitFor(async () => (worker.seen.some((s) => s.caseId === caseId && s.stepId === 'first') ? true : undefined), 'the first step to be requested');
    await orchestrator.registerWorkflow(pinnedV2);
    releasePinned();
    const es = await ended(caseId);
    assert.equal(es.at(-1)!.type, 'CaseCompleted');
    assert.deepEqual(es.filter((e) => e.type === 'StepCompleted').map((e) => e.type === 'StepCompleted' && e.data.stepId), ['first', 'second']);
    const started = es[0]!;
    assert.equal(started.type === 'CaseStarted' && started.data.version, 1);
    const next = await start('pinned');
    const nextEvents = await ended(next);
    const nextStarted = nextEvents[0]!;
    assert.equal(nextStarted.type === 'CaseStarted' && nextStarted.data.version, 2, 'a new case takes the newest version');
  });

  it('serves /metrics, /health/live and /health/ready over HTTP', async () => {
    const { NestFactory } = await import('@nestjs/core');
    const { OrchestratorHttpModule } = await import('./http/app.module');
    const app = await NestFactory.create(OrchestratorHttpModule.forRoot(orchestrator), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const metrics = await fetch(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      const text = await metrics.text();
      for (const name of ['baton_cases_started_total', 'baton_step_attempts_total', 'baton_event_store_append_seconds_bucket', 'baton_outbox_backlog', 'baton_timers_due', 'baton_case_duration_seconds_bucket']) {
        assert.match(text, new RegExp(`^${name}`, 'm'), `${name} is exported`);
      }
      assert.match(text, /baton_step_attempts_total\{step_type="noop",outcome="failed",service="orchestrator"\} [1-9]/);
      assert.deepEqual(await (await fetch(`${base}/health/live`)).json(), { status: 'ok' });
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { status: string }).status, 'ok');
    } finally {
      // Closing the Nest app would stop the orchestrator (its shutdown hook); only close the HTTP server here.
      await new Promise<void>((r) => app.getHttpServer().close(() => r()));
    }
  });

  it('fails a step at once, non-retryably, when its mapped input has a field the contract does not declare', async () => {
    const caseId = await start('typo');
    const es = await ended(caseId);
    assert.equal(es.at(-1)!.type, 'CaseFailed');
    const failed = es.find((e) => e.type === 'StepFailed');
    assert.equal(failed?.type === 'StepFailed' && failed.data.error.name, 'InputSchemaViolation');
    assert.match(failed?.type === 'StepFailed' ? failed.data.error.message : '', /nn/);
    assert.equal(es.filter((e) => e.type === 'StepScheduled').length, 1, 'not retried');
    assert.equal(worker.seen.filter((s) => s.caseId === caseId).length, 0, 'no request was sent');
  });

  it('dead-letters a trigger for a workflow nobody registered, with the reason', async () => {
    const msg = triggerMessage(world.catalog, world.topics.triggers, { workflow: 'no-such-workflow', inputName: noopInput, input: { n: 1 } });
    await world.producer.send([msg]);
    const dead = await collect(world.kafka, `${world.topics.triggers}.dlt`, 1);
    const h = headersToRecord(dead[0]!.message.headers);
    assert.equal(h[DeadLetterHeaders.errorName], 'WorkflowNotFound');
    assert.match(h[DeadLetterHeaders.errorMessage] ?? '', /no workflow named 'no-such-workflow'/);
    assert.ok(world.catalog.decode(dead[0]!.message.value!).writerName === ContractNames.TriggerCase);
  });
});
