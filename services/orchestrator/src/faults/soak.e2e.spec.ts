import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, type EventStore } from '@baton/event-store';
import { percentile } from '@baton/observability';
import { migrateProjections } from '@baton/projections';
import { freePort, ServiceProcess } from '@baton/testing';
import { defineWorkflow } from '@baton/workflow-engine';
import { createWorld, type World } from '../testing/harness';
import { triggerMessage } from '../testing/trigger';
import { checkHistory, violations } from './checker';
import { writeFigures } from './figures';

/*
 * The soak: cases at a steady rate for a long time, and whether the orchestrator's memory or its
 * latency drift. Only with BATON_FAULT_SOAK_MS (`npm run faults -- --soak` sets 30 minutes);
 * `npm test` skips it. Figures to tmp/faults/soak.json: the orchestrator's RSS sampled every
 * 10 s and its least-squares slope (MiB per minute), case latency (trigger to end) p99 over the
 * first and the last third of the run and their ratio, the checker's counts, the cases ended per
 * second while sending (keeping up?), the drain time and the load average. A case still moving
 * after the sending stops is behind, not stuck: the drain waits while cases keep ending.
 * BATON_FAULT_SOAK_RATE (cases/s, default 5) sets the rate.
 */
const SOAK_MS = Number(process.env.BATON_FAULT_SOAK_MS ?? 0);
const RATE = Number(process.env.BATON_FAULT_SOAK_RATE ?? 5);

const workflow = defineWorkflow({
  name: 'soak-onboarding', version: 1,
  steps: {
    validate: { type: 'noop', timeout: 'PT30S' },
    billing: { type: 'noop', needs: ['validate'], timeout: 'PT30S' },
    welcome: { type: 'noop', needs: ['billing'], timeout: 'PT30S' },
    workspace: { type: 'noop', needs: ['billing'], timeout: 'PT30S' },
    manager: { type: 'noop', needs: ['welcome', 'workspace'], timeout: 'PT30S' },
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process, MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

/** Least-squares slope of `y` over `x`. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

describe('the soak: a steady rate for a long time', { skip: SOAK_MS <= 0 && 'only with BATON_FAULT_SOAK_MS (npm run faults -- --soak)' }, () => {
  let world: World;
  let store: EventStore;
  let pool: Pool;
  let orchestrator: ServiceProcess;
  let steps: ServiceProcess;

  before(async () => {
    world = await createWorld('soak', ['noop']);
    await migrateDefinitions(world.db.url);
    await migrateProjections(world.db.url);
    store = await createEventStore(world.db.url);
    await new DefinitionRegistry(store.pool).register(workflow);
    pool = new Pool({ connectionString: world.db.url, max: 2 });
    const common = { KAFKA_BROKERS: world.config.brokers.join(','), BATON_TOPIC_NAMESPACE: world.config.topicNamespace };
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', { ...common, DATABASE_URL: world.db.url, PORT: String(await freePort()), BATON_ORCHESTRATOR_GROUP: world.config.groupId });
    steps = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', common);
    await Promise.all([orchestrator.start(), steps.start()]);
  });

  after(async () => {
    await orchestrator?.stop();
    await steps?.stop();
    await pool?.end();
    await store?.close();
    await world?.close();
  });

  it(`runs ${RATE} cases/s for ${SOAK_MS} ms with flat memory and latency, losing nothing`, async () => {
    const started = Date.now();
    const loadAtStart = loadavg();
    const ids: string[] = [];
    const rss: { x: number; y: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rss.push({ x: (Date.now() - started) / 60_000, y: rssMiB(orchestrator.child!.pid!) });
        await sleep(10_000);
      }
    })();
    for (let i = 0; Date.now() - started < SOAK_MS; i++) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const m = triggerMessage(world.catalog, world.topics.triggers, { workflow: workflow.name, inputName: 'baton.steps.noop.Input', input: { n: i }, key: `soak-${i}`, triggerId: `soak-${i}` });
      await world.producer.send([m]);
      ids.push(m.key as string);
    }
    const sentFor = Date.now() - started;
    const endedCount = async () => Number((await pool.query<{ n: string }>("SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted','CaseFailed','CaseCancelled')", [ids])).rows[0]!.n);
    const endedWhileSending = await endedCount();
    // Drain: a case still moving is behind, not stuck. Wait while cases keep ending (up to 20 minutes);
    // what has not ended after 60 s without any case ending is stuck.
    let endedSoFar = endedWhileSending;
    let lastProgress = Date.now();
    const drainUntil = Date.now() + 1_200_000;
    while (endedSoFar < ids.length && Date.now() - lastProgress < 60_000 && Date.now() < drainUntil) {
      await sleep(1000);
      const n = await endedCount();
      if (n > endedSoFar) { endedSoFar = n; lastProgress = Date.now(); }
    }
    const drainMs = Date.now() - started - sentFor;
    sampling = false;
    await sampler;
    const lat = await pool.query<{ started: Date; ms: number }>(
      `SELECT min(recorded_at) AS started, extract(epoch FROM max(recorded_at) - min(recorded_at)) * 1000 AS ms FROM events WHERE stream_id = ANY($1) GROUP BY stream_id ORDER BY 1`, [ids]);
    const third = Math.floor(lat.rows.length / 3);
    const p99 = (rows: typeof lat.rows) => percentile(rows.map((r) => Number(r.ms)), 99);
    const first = p99(lat.rows.slice(0, third));
    const last = p99(lat.rows.slice(-third));
    const report = await checkHistory(pool, { caseIds: ids });
    writeFigures('soak', {
      durationMs: SOAK_MS, rate: RATE, ...report,
      // Keeping up: cases ended per second while sending, and how long the backlog took to drain.
      endedPerSecondWhileSending: endedWhileSending / (sentFor / 1000), drainMs,
      loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
      rssMiB: { first: rss[0]?.y, last: rss.at(-1)?.y, max: Math.max(...rss.map((p) => p.y)), slopeMiBPerMinute: slope(rss), samples: rss.length },
      caseLatencyP99Ms: { firstThird: first, lastThird: last, drift: last / first },
    });
    assert.deepEqual(violations(report), [], report.examples.join('; '));
    assert.ok(rss.length >= 2, 'RSS was sampled');
  });
});
