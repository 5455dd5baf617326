import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { defineWorkflow, type CaseEvent } from '@baton/workflow-engine';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from './orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from './testing/harness';
import { sendTrigger } from './testing/trigger';

const ITEMS = 1000;
const LIMIT = 20;

const fanOut = defineWorkflow({
  name: 'fan-out', version: 1,
  steps: {
    each: {
      type: 'noop', timeout: 'PT2M',
      map: { items: '[1..case.input.n].{ "n": $ }', maxConcurrency: LIMIT },
      retry: { maxAttempts: 3, initialInterval: 'PT0.05S', jitter: 0 },
    },
    count: { type: 'noop', needs: ['each'], input: '{ "n": $count(steps.each.output[ok]) }' },
  },
});

describe('a map step on real Kafka and Postgres', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;
  const inFlight = new Set<string>();
  let maxInFlight = 0;

  before(async () => {
    world = await createWorld('fanout', ['noop']);
    orchestrator = await startOrchestrator(world);
    await orchestrator.registerWorkflow(fanOut);
    // Detached: the worker reads the next request while earlier ones are still being answered, so
    // only the orchestrator's maxConcurrency bounds how many items run at once.
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], async (r: SeenRequest) => {
      const key = `${r.caseId}/${r.stepId}`;
      inFlight.add(key);
      maxInFlight = Math.max(maxInFlight, inFlight.size);
      await new Promise((done) => setTimeout(done, 5 + (r.attempt * 7 + Number(r.stepId.split('#')[1] ?? 0)) % 20));
      inFlight.delete(key); // before the result is sent: the next item may only be dispatched after it
      const index = Number(r.stepId.split('#')[1]);
      if (r.stepId.includes('#') && index % 100 === 7 && r.attempt === 1) return { fail: { name: 'Flaky', retryable: true } };
      return { output: { ok: true } };
    }, { detached: true });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  it(`runs ${ITEMS} items with never more than ${LIMIT} in flight at the worker, retries in place, and completes with the outputs in order`, async () => {
    const started = Date.now();
    const caseId = await sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: 'fan-out', inputName: 'baton.steps.noop.Input', input: { n: ITEMS } });
    const events = await waitFor(async () => {
      const es = (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
      return es.some((e) => e.type === 'CaseCompleted' || e.type === 'CaseFailed') ? es : undefined;
    }, 'the fan-out case to end', 600_000);
    const wallMs = Date.now() - started;
    assert.equal(events.at(-1)!.type, 'CaseCompleted');
    assert.deepEqual(worker.replyErrors, []);
    assert.ok(maxInFlight <= LIMIT, `at most ${LIMIT} items in flight at the worker, saw ${maxInFlight}`);
    assert.ok(maxInFlight >= 2, `items ran concurrently (saw ${maxInFlight} at once)`);

    const scheduled = events.filter((e) => e.type === 'MapItemScheduled');
    const keys = new Set(scheduled.map((e) => (e.data as { idempotencyKey: string }).idempotencyKey));
    assert.equal(keys.size, ITEMS, 'one idempotency key per item, stable across its retries');
    assert.equal(scheduled.length, ITEMS + ITEMS / 100, 'one retry for each item 7, 107, ...');
    const seenItems = new Set(worker.seen.filter((s) => s.caseId === caseId && s.stepId.includes('#')).map((s) => s.stepId));
    assert.equal(seenItems.size, ITEMS);
    const output = (events.find((e) => e.type === 'CaseCompleted')!.data.output as { each: unknown[] }).each;
    assert.equal(output.length, ITEMS);
    assert.ok(output.every((o) => (o as { ok: boolean }).ok === true));
    const count = worker.seen.find((s) => s.caseId === caseId && s.stepId === 'count');
    assert.deepEqual(count?.input, { n: ITEMS });

    // The projections: the summary counts the items; one step_executions row per item attempt.
    const summary = await waitFor(async () => {
      const c = await orchestrator.queries.getCase(caseId);
      return c?.summary.status === 'completed' ? c : undefined;
    }, 'the case summary projection', 120_000);
    assert.deepEqual((summary.summary.steps.each as { items?: unknown }).items, { total: ITEMS, pending: 0, inFlight: 0, completed: ITEMS, failed: 0, maxConcurrency: LIMIT });
    const rows = await orchestrator.store.pool.query<{ n: string }>("SELECT count(*) AS n FROM step_executions WHERE case_id = $1 AND step_id LIKE 'each#%'", [caseId]);
    assert.equal(Number(rows.rows[0]!.n), ITEMS + ITEMS / 100);
    const perItem = events.length / ITEMS;
    console.log(`map ${ITEMS} items, maxConcurrency ${LIMIT}: ${events.length} events (${perItem.toFixed(2)} per item, ${ITEMS / 100} retries), ` +
      `wall ${wallMs} ms from trigger to CaseCompleted, at most ${maxInFlight} in flight at the worker; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  });
});
