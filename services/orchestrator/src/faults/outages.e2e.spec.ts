import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, type EventStore } from '@baton/event-store';
import { latencySummary } from '@baton/observability';
import { migrateProjections } from '@baton/projections';
import { APPLIED_LOG } from '@baton/step-sdk';
import { freePort, ServiceProcess } from '@baton/testing';
import { defineWorkflow } from '@baton/workflow-engine';
import { createWorld, type World } from '../testing/harness';
import { triggerMessage } from '../testing/trigger';
import { writeFigures } from './figures';
import { checkHistory, completedCases, readJournal, violations } from './checker';

/*
 * Outages of the infrastructure under load: the broker restarted, PostgreSQL stopped for a while.
 * The orchestrator and the step service (testing/crash-steps.ts) run as child processes under a
 * supervisor loop that restarts one that exits (counted: "services stay up" means none exits for
 * a PostgreSQL outage). `npm test` runs one short outage of each; `npm run faults` sets
 * BATON_FAULT_BROKER_RESTARTS=10, BATON_FAULT_PG_STOPS=5, BATON_FAULT_PG_DOWN_MS=30000,
 * BATON_FAULT_OUTAGE_CASES=300. Figures go to tmp/faults/broker-restarts.json and postgres-stops.json.
 */
const root = resolve(__dirname, '../../../..');
const CASES = Number(process.env.BATON_FAULT_OUTAGE_CASES ?? 30);
const BROKER_RESTARTS = Number(process.env.BATON_FAULT_BROKER_RESTARTS ?? 1);
const PG_STOPS = Number(process.env.BATON_FAULT_PG_STOPS ?? 1);
const PG_DOWN_MS = Number(process.env.BATON_FAULT_PG_DOWN_MS ?? 5000);

const workflow = defineWorkflow({
  name: 'outage-onboarding', version: 1,
  steps: {
    validate: { type: 'noop', timeout: 'PT20S' },
    billing: { type: 'noop', needs: ['validate'], timeout: 'PT20S' },
    welcome: { type: 'noop', needs: ['billing'], timeout: 'PT20S' },
    workspace: { type: 'noop', needs: ['billing'], timeout: 'PT20S', retry: { maxAttempts: 5, initialInterval: 'PT1S', jitter: 0.2 } },
    manager: { type: 'noop', needs: ['welcome', 'workspace'], timeout: 'PT20S' },
  },
});

// Stops or starts the local broker or server of deploy/local (never a DATABASE_URL of someone else's).
const infra = (what: 'kafka' | 'postgres', verb: 'start' | 'stop') => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (what === 'kafka') execFileSync('bash', [join(root, 'deploy/local/kafka.sh'), verb], { stdio: 'pipe', env });
  else execFileSync(process.execPath, [join(root, 'deploy/local/postgres.mjs'), verb], { stdio: 'pipe', env });
};
const localPostgres = new URL(process.env.DATABASE_URL ?? 'postgres://x@127.0.0.1:1/x').port === (process.env.BATON_PG_PORT ?? '5433');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The step service's effects (testing/crash-steps.ts): the last step's notify (writeOnce) and a naive one.
const EFFECTS_DIR = join(root, 'tmp', `outage-effects-${process.pid}`);
/** The checker over `ids` with the effects: notify applied once per completed case. */
async function check(pool: Pool, ids: string[]) {
  return checkHistory(pool, {
    caseIds: ids, required: { notify: await completedCases(pool, ids) },
    effects: { notify: readJournal(join(EFFECTS_DIR, 'notify', APPLIED_LOG)).filter((k) => ids.includes(k)) },
  });
}

describe('outages of the infrastructure under load', { skip: !localPostgres && 'needs the local PostgreSQL of deploy/local (DATABASE_URL points elsewhere)' }, () => {
  let world: World;
  let store: EventStore;
  let pool: Pool;
  let orchestrator: ServiceProcess;
  let steps: ServiceProcess;
  let port = 0;
  let supervising = false;
  let supervisor: Promise<void> = Promise.resolve();
  const exits = { orchestrator: 0, steps: 0 };

  before(async () => {
    world = await createWorld('outage', ['noop']);
    await migrateDefinitions(world.db.url);
    await migrateProjections(world.db.url);
    store = await createEventStore(world.db.url);
    await new DefinitionRegistry(store.pool).register(workflow);
    pool = new Pool({ connectionString: world.db.url, max: 2 });
    pool.on('error', () => undefined); // an idle connection dropped by a PostgreSQL stop
    port = await freePort();
    const common = { KAFKA_BROKERS: world.config.brokers.join(','), BATON_TOPIC_NAMESPACE: world.config.topicNamespace, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000' };
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', { ...common, DATABASE_URL: world.db.url, PORT: String(port), BATON_ORCHESTRATOR_GROUP: world.config.groupId, BATON_TIMER_POLL_MS: '50' });
    rmSync(EFFECTS_DIR, { recursive: true, force: true });
    steps = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', { ...common, BATON_CRASH_EFFECTS_DIR: EFFECTS_DIR });
    await Promise.all([orchestrator.start(), steps.start()]);
    supervising = true;
    // The supervisor: a process that exited is started again (as systemd or Kubernetes would).
    supervisor = (async () => {
      while (supervising) {
        for (const [name, p] of [['orchestrator', orchestrator], ['steps', steps]] as const) {
          if (p.child && (p.child.exitCode !== null || p.child.signalCode !== null)) {
            exits[name]++;
            await p.start(120_000).catch(() => undefined);
          }
        }
        await sleep(500);
      }
    })();
  });

  after(async () => {
    supervising = false;
    await supervisor;
    await orchestrator?.stop();
    await steps?.stop();
    await pool?.end();
    await store?.close();
    await world?.close();
    rmSync(EFFECTS_DIR, { recursive: true, force: true });
  });

  /** Sends `CASES` triggers in bursts while `outages` runs; returns the case ids and the outages' end times with the cases in flight then. */
  async function underLoad(prefix: string, outages: (inFlight: () => Promise<string[]>) => Promise<{ endedAt: number; inFlight: string[] }[]>) {
    const ids: string[] = [];
    let sending = true;
    const sender = (async () => {
      for (let i = 0; i < CASES && sending; i += 5) {
        const batch = Array.from({ length: Math.min(5, CASES - i) }, (_, j) => triggerMessage(world.catalog, world.topics.triggers, {
          workflow: workflow.name, inputName: 'baton.steps.noop.Input', input: { n: i + j }, key: `${prefix}-${i + j}`, triggerId: `${prefix}-${i + j}` }));
        for (;;) {
          try { await world.producer.send(batch); break; } catch { await sleep(500); }
        }
        ids.push(...batch.map((m) => m.key as string));
        await sleep(Math.max(50, 20_000 / (CASES / 5)));
      }
    })();
    const inFlight = async () => {
      const r = await pool.query<{ stream_id: string }>("SELECT DISTINCT stream_id FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted','CaseFailed','CaseCancelled')", [ids]).catch(() => ({ rows: [] }));
      const ended = new Set(r.rows.map((x) => x.stream_id));
      return ids.filter((id) => !ended.has(id));
    };
    const done = await outages(inFlight);
    await sender;
    sending = false;
    const until = Date.now() + 240_000;
    while ((await inFlight()).length > 0 && Date.now() < until) await sleep(500);
    // Recovery: from an outage's end, until each case in flight at it recorded its next event.
    const recoveries: number[] = [];
    for (const o of done) {
      const next = await pool.query<{ first: Date }>('SELECT min(recorded_at) AS first FROM events WHERE stream_id = ANY($1) AND recorded_at > $2 GROUP BY stream_id', [o.inFlight, new Date(o.endedAt)]);
      for (const row of next.rows) recoveries.push(row.first.getTime() - o.endedAt);
    }
    return { ids, recovery: latencySummary(recoveries) };
  }


  it(`loses nothing when the broker is restarted ${BROKER_RESTARTS} times under load`, async () => {
    const before = { ...exits };
    const { ids, recovery } = await underLoad('brk', async (inFlight) => {
      const out: { endedAt: number; inFlight: string[] }[] = [];
      for (let k = 0; k < BROKER_RESTARTS; k++) {
        await sleep(3000);
        const flying = await inFlight();
        infra('kafka', 'stop');
        await sleep(2000);
        infra('kafka', 'start');
        out.push({ endedAt: Date.now(), inFlight: flying });
      }
      return out;
    });
    const report = await check(pool, ids);
    writeFigures('broker-restarts', { restarts: BROKER_RESTARTS, ...report, processExits: { orchestrator: exits.orchestrator - before.orchestrator, steps: exits.steps - before.steps }, recoveryMs: recovery });
    assert.deepEqual(violations(report), [], `${report.examples.join('; ')}\n${orchestrator.log.slice(-2000)}`);
  });

  it(`stays up, reports not-ready and recovers when PostgreSQL stops ${PG_STOPS} times for ${PG_DOWN_MS} ms under load`, async () => {
    const before = { ...exits };
    const readiness: number[] = [];
    const { ids, recovery } = await underLoad('pg', async (inFlight) => {
      const out: { endedAt: number; inFlight: string[] }[] = [];
      for (let k = 0; k < PG_STOPS; k++) {
        await sleep(3000);
        const flying = await inFlight();
        infra('postgres', 'stop');
        const until = Date.now() + PG_DOWN_MS;
        while (Date.now() < until) {
          readiness.push(await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0));
          await sleep(500);
        }
        infra('postgres', 'start');
        out.push({ endedAt: Date.now(), inFlight: flying });
      }
      return out;
    });
    const report = await check(pool, ids);
    const processExits = { orchestrator: exits.orchestrator - before.orchestrator, steps: exits.steps - before.steps };
    const notReady = readiness.filter((s) => s !== 200).length;
    writeFigures('postgres-stops', { stops: PG_STOPS, downMs: PG_DOWN_MS, ...report, processExits, readinessProbesDuringOutage: readiness.length, notReadyAnswers: notReady, unreachableAnswers: readiness.filter((s) => s === 0).length, recoveryMs: recovery });
    assert.deepEqual(violations(report), [], `${report.examples.join('; ')}\n${orchestrator.log.slice(-2000)}`);
    assert.equal(processExits.orchestrator, 0, `the orchestrator exited during the outage:\n${orchestrator.log.slice(-3000)}`);
    assert.ok(notReady > 0, `the orchestrator reported not-ready during the outage (${readiness.join(',')})`);
    assert.equal(await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0), 200, 'ready again after the outage');
  });
});
