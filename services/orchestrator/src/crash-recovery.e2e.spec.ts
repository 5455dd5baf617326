import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { caseIdFor } from '@baton/contracts';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, type EventStore } from '@baton/event-store';
import { migrateProjections } from '@baton/projections';
import { ServiceProcess } from '@baton/testing';
import { TestStepWorker } from '@baton/step-testing';
import { defineWorkflow } from '@baton/workflow-engine';
import { createWorld, waitFor, type World } from './testing/harness';
import { triggerMessage } from './testing/trigger';

const root = resolve(__dirname, '../../..');
const CASES = 50;
const KILLS = 5;

const workflow = defineWorkflow({
  name: 'crash-test', version: 1,
  steps: {
    a: { type: 'noop' },
    b: { type: 'noop', needs: ['a'], retry: { maxAttempts: 5, initialInterval: 'PT0.2S', jitter: 0.2 } },
    c: { type: 'noop', needs: ['a'] },
    d: { type: 'noop', needs: ['b', 'c'] },
    e: { type: 'noop', needs: ['d'], timeout: 'PT20S' },
  },
});

describe('crash recovery', () => {
  let world: World;
  let store: EventStore;
  let worker: TestStepWorker;
  let proc: ServiceProcess;

  before(async () => {
    world = await createWorld('crash', ['noop']);
    await migrateDefinitions(world.db.url);
    await migrateProjections(world.db.url);
    store = await createEventStore(world.db.url);
    await new DefinitionRegistry(store.pool).register(workflow);
    let flaky = 0;
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], async (r) => {
      // Slow enough steps that the 50 cases are still running across all five kills.
      await new Promise((res) => setTimeout(res, 150 + Math.random() * 1200));
      if (r.stepId === 'b' && r.attempt === 1 && flaky++ % 3 === 0) return { fail: { name: 'Flaky', retryable: true } };
      return { output: { ok: true } };
    });
    await worker.start();
    proc = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: world.db.url, KAFKA_BROKERS: world.config.brokers.join(','), PORT: '0',
      BATON_TOPIC_NAMESPACE: world.config.topicNamespace, BATON_ORCHESTRATOR_GROUP: world.config.groupId,
      BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_TIMER_POLL_MS: '50',
    });
  });

  after(async () => {
    await proc?.stop();
    await worker?.stop();
    await store?.close();
    await world?.close();
  });

  it(`ends every one of ${CASES} cases exactly once and records no event twice when the orchestrator is SIGKILLed ${KILLS} times`, async () => {
    await proc.start();
    const caseIds: string[] = [];
    const triggers = Array.from({ length: CASES }, (_, i) => {
      const msg = triggerMessage(world.catalog, world.topics.triggers, { workflow: 'crash-test', inputName: 'baton.steps.noop.Input', input: { n: i }, key: `crash-${i}` });
      caseIds.push(caseIdFor({ workflow: 'crash-test', key: `crash-${i}`, triggerId: 'unused' }));
      return msg;
    });
    await world.producer.send(triggers);
    const restarts: { killedAt: number; readyAt: number; inFlight: string[] }[] = [];
    const endedCount = async () => Number((await store.pool.query<{ n: string }>("SELECT count(DISTINCT stream_id) AS n FROM events WHERE event_type IN ('CaseCompleted','CaseFailed','CaseCancelled')")).rows[0]!.n);
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 900));
      const ended = new Set((await store.pool.query<{ stream_id: string }>("SELECT DISTINCT stream_id FROM events WHERE event_type IN ('CaseCompleted','CaseFailed','CaseCancelled')")).rows.map((r) => r.stream_id));
      const killedAt = Date.now();
      await proc.kill();
      await proc.start();
      restarts.push({ killedAt, readyAt: Date.now(), inFlight: caseIds.filter((id) => !ended.has(id)) });
    }
    try {
      await waitFor(async () => ((await endedCount()) >= CASES ? true : undefined), `all ${CASES} cases to end`, 180000);
    } catch (error) {
      const open = await store.pool.query<{ stream_id: string; last: string }>(
        `SELECT stream_id, (array_agg(event_type ORDER BY stream_position DESC))[1] AS last FROM events GROUP BY stream_id
         HAVING bool_and(event_type NOT IN ('CaseCompleted','CaseFailed','CaseCancelled'))`);
      const backlog = await store.outboxBacklog();
      console.error(`open cases: ${JSON.stringify(open.rows.slice(0, 20))}; outbox backlog ${backlog}; worker saw ${worker.seen.length} requests\n${proc.log.slice(-4000)}`);
      throw error;
    }

    const terminal = await store.pool.query<{ stream_id: string; n: string }>(
      "SELECT stream_id, count(*) AS n FROM events WHERE event_type IN ('CaseCompleted','CaseFailed','CaseCancelled') GROUP BY stream_id");
    const endedOnce = terminal.rows.filter((r) => Number(r.n) === 1).length;
    const duplicates = await store.pool.query<{ n: string }>(`
      SELECT count(*) AS n FROM (
        SELECT stream_id, event_type, data->>'stepId', data->>'attempt', count(*) FROM events
        GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d`);
    const started = await store.pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'CaseStarted'");
    // The longest a case in flight at a kill waited, from the kill, for its next recorded event.
    let longestWaitMs = 0;
    for (const r of restarts) {
      const next = await store.pool.query<{ stream_id: string; first: Date }>(
        'SELECT stream_id, min(recorded_at) AS first FROM events WHERE stream_id = ANY($1) AND recorded_at > $2 GROUP BY stream_id', [r.inFlight, new Date(r.killedAt)]);
      for (const row of next.rows) longestWaitMs = Math.max(longestWaitMs, row.first.getTime() - r.killedAt);
    }
    const figures = {
      cases: CASES, kills: KILLS, casesStarted: Number(started.rows[0]!.n), casesEndedExactlyOnce: endedOnce,
      casesLost: CASES - terminal.rows.length, eventsDuplicated: Number(duplicates.rows[0]!.n),
      longestWaitAfterKillMs: longestWaitMs, restartMs: restarts.map((r) => r.readyAt - r.killedAt),
      inFlightAtKill: restarts.map((r) => r.inFlight.length),
    };
    mkdirSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'tmp', 'crash-recovery.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`crash recovery: ${JSON.stringify(figures)}`);
    assert.equal(figures.casesStarted, CASES, 'every trigger started exactly one case');
    assert.equal(figures.casesLost, 0, 'no case was lost');
    assert.equal(endedOnce, CASES, 'every case ended exactly once');
    assert.equal(figures.eventsDuplicated, 0, 'no event was recorded twice');
    assert.ok(restarts.every((r) => r.inFlight.length > 0), `every kill hit cases in flight (${figures.inFlightAtKill.join(', ')})`);
  });
});
