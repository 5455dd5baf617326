import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { caseIdFor } from '@baton/contracts';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import { createKafka } from '@baton/kafka';
import { latencySummary } from '@baton/observability';
import { defineWorkflow } from '@baton/workflow-engine';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { triggerMessage } from '../testing/trigger';
import { writeFigures } from './figures';
import { checkHistory, violations, type CheckReport } from './checker';
import { CommitCutter } from './commit-cutter';

/*
 * The fault suite's scenarios that run in one process against the real broker and PostgreSQL
 * (`npm test` runs them short; `npm run faults` with BATON_FAULT_CASES=300). Figures go to
 * tmp/faults/<scenario>.json. Each run is judged by the checker (checker.ts), which must be able
 * to fail: the first test shows it catching a duplicate injected on purpose.
 */
const CASES = Number(process.env.BATON_FAULT_CASES ?? 40);

// A parallel branch and a retry: the first attempt of `flaky` fails, so a late duplicate of that
// failure arriving after attempt 2 started is the stale result the decider must drop.
const workflow = defineWorkflow({
  name: 'fault-onboarding', version: 1,
  steps: {
    validate: { type: 'noop', timeout: 'PT20S' },
    billing: { type: 'noop', needs: ['validate'], timeout: 'PT20S' },
    flaky: { type: 'noop', needs: ['validate'], timeout: 'PT20S', retry: { maxAttempts: 3, initialInterval: 'PT0.2S', jitter: 0 } },
    done: { type: 'noop', needs: ['billing', 'flaky'], timeout: 'PT20S' },
  },
});

const behaviour = (r: SeenRequest) => (r.stepId === 'flaky' && r.attempt === 1 ? { fail: { name: 'Busy', retryable: true } } : { output: { ok: true } });

/** One world with an orchestrator (optionally reaching Postgres through `databaseUrl`) and a test step worker. */
async function stack(name: string, proxyPort?: number): Promise<{ world: World; orchestrator: Orchestrator; worker: TestStepWorker; pool: Pool; close(): Promise<void> }> {
  const world = await createWorld(name, ['noop']);
  if (proxyPort) {
    const url = new URL(world.db.url);
    url.port = String(proxyPort);
    world.config = { ...world.config, databaseUrl: url.toString() };
  }
  const orchestrator = await startOrchestrator(world);
  await orchestrator.registerWorkflow(workflow);
  const worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], behaviour);
  await worker.start();
  const pool = new Pool({ connectionString: world.db.url, max: 2 });
  return {
    world, orchestrator, worker, pool,
    async close() { await worker.stop(); await orchestrator.stop(); await pool.end(); await world.close(); },
  };
}

/** Sends `n` triggers (keys `<prefix>-<i>`) and waits for every case to end (or `timeoutMs`); returns the case ids. */
async function runCases(world: World, pool: Pool, prefix: string, n: number, timeoutMs = 120_000): Promise<string[]> {
  const msgs = Array.from({ length: n }, (_, i) => triggerMessage(world.catalog, world.topics.triggers, { workflow: workflow.name, inputName: 'baton.steps.noop.Input', input: { n: i }, key: `${prefix}-${i}`, triggerId: `${prefix}-${i}` }));
  await world.producer.send(msgs);
  const ids = msgs.map((m) => m.key as string);
  await waitFor(async () => {
    const r = await pool.query<{ n: string }>("SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted','CaseFailed','CaseCancelled')", [ids]);
    return Number(r.rows[0]!.n) >= n ? true : undefined;
  }, `${n} cases to end`, timeoutMs).catch(() => undefined);
  return ids;
}

/** Each case's history without times or ids: sorted `type step#attempt`, for comparing two runs. */
async function shapes(pool: Pool, ids: readonly string[]): Promise<string[]> {
  const r = await pool.query<{ stream_id: string; h: string }>(`
    SELECT stream_id, string_agg(event_type || ' ' || coalesce(data->>'stepId', '') || '#' || coalesce(data->>'attempt', ''), ',' ORDER BY 1) AS h
    FROM (SELECT stream_id, event_type, data FROM events WHERE stream_id = ANY($1) ORDER BY event_type, data->>'stepId', data->>'attempt') e GROUP BY stream_id`, [ids]);
  const byId = new Map(r.rows.map((x) => [x.stream_id, x.h.split(',').sort().join(',')]));
  return ids.map((id) => byId.get(id) ?? '(none)');
}

describe('the fault suite (in process)', () => {
  it('the checker catches a duplicated event, a case that never ended, an effect applied twice and one never applied', async () => {
    const s = await stack('fchk');
    try {
      const ids = await runCases(s.world, s.pool, 'chk', 3);
      const clean = await checkHistory(s.pool, { caseIds: ids, effects: { notify: ids } });
      assert.deepEqual(violations(clean), [], clean.examples.join('; '));
      // Inject: the last StepCompleted of the first case recorded again, a case id nobody started, a second notify line.
      await s.pool.query(`INSERT INTO events (stream_id, stream_position, event_id, event_type, data)
        SELECT stream_id, (SELECT max(stream_position) + 1 FROM events WHERE stream_id = $1), gen_random_uuid(), event_type, data
        FROM events WHERE stream_id = $1 AND event_type = 'StepCompleted' ORDER BY stream_position DESC LIMIT 1`, [ids[0]]);
      const lost = caseIdFor({ workflow: workflow.name, key: 'never-sent', triggerId: 'x' });
      const dirty = await checkHistory(s.pool, { caseIds: [...ids, lost], effects: { notify: [ids[1]!, ids[1]!, ids[2]!] }, required: { notify: ids } });
      assert.equal(dirty.eventsDuplicated, 1);
      assert.equal(dirty.casesLost, 1);
      assert.equal(dirty.effectsAppliedTwice.notify, 1);
      assert.equal(dirty.effectsMissing.notify, 1);
      assert.deepEqual(violations(dirty), ['1 cases lost', '1 events recorded twice', '1 notify effects applied twice', '1 notify effects never applied']);
    } finally {
      await s.close();
    }
  });

  it(`duplicated and reordered step results (${CASES} cases): the final state equals a baseline run's`, async () => {
    const base = await stack('fbase');
    let baseline: string[];
    try {
      baseline = await shapes(base.pool, await runCases(base.world, base.pool, 'dup', CASES));
    } finally {
      await base.close();
    }
    const s = await stack('fdup');
    // The injector: every step result is sent again once or twice, 0-1.5 s later, so copies land
    // after later results of the same case (reordered) and after the case ended.
    const kafka = createKafka({ clientId: 'fault-injector', brokers: s.world.config.brokers, logLevel: 'ERROR' });
    const consumer = kafka.consumer({ groupId: `${s.world.config.groupId}-injector`, maxWaitTimeInMs: 50 });
    let injected = 0;
    const pending = new Set<Promise<void>>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [s.world.topics.stepResults], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.headers?.['x-fault-copy']) return;
          for (let c = 0; c < 1 + Math.round(Math.random()); c++) {
            const p = new Promise<void>((r) => setTimeout(r, Math.random() * 1500)).then(async () => {
              await s.world.producer.send([{ topic: s.world.topics.stepResults, key: message.key!.toString(), value: message.value!, headers: { 'x-fault-copy': '1' } }]);
              injected++;
            });
            pending.add(p);
            void p.finally(() => pending.delete(p));
          }
        },
      });
      const ids = await runCases(s.world, s.pool, 'dup', CASES);
      await waitFor(async () => (pending.size === 0 ? true : undefined), 'the injected copies to be sent', 30_000);
      await new Promise((r) => setTimeout(r, 3000)); // the last copies are consumed
      const report = await checkHistory(s.pool, { caseIds: ids });
      const after = await shapes(s.pool, ids);
      const differing = after.filter((h, i) => h !== baseline[i]).length;
      writeFigures('duplicated-reordered-results', { copiesInjected: injected, ...report, casesDifferingFromBaseline: differing, effectsAppliedTwice: 'n/a (noop steps)', p99RecoveryMs: 'n/a (no outage)' });
      assert.ok(injected >= CASES * 5, `copies injected: ${injected}`);
      assert.deepEqual(violations(report), [], report.examples.join('; '));
      assert.equal(differing, 0, `first differing case:\n${after.find((h, i) => h !== baseline[i])}\nbaseline:\n${baseline[after.findIndex((h, i) => h !== baseline[i])]}`);
    } finally {
      await consumer.disconnect();
      await s.close();
    }
  });

  it(`ambiguous commits (the connection cut after COMMIT is sent, ${CASES} cases): nothing recorded twice, nothing lost`, async () => {
    const pgPort = Number(new URL(process.env.DATABASE_URL ?? 'postgres://x@127.0.0.1:5432/x').port);
    const cutter = new CommitCutter(pgPort, Number(process.env.BATON_FAULT_CUT_EVERY ?? 7));
    const port = await cutter.start();
    const s = await stack('famb', port);
    try {
      cutter.armed = true;
      const t0 = Date.now();
      const ids = await runCases(s.world, s.pool, 'amb', CASES, 180_000);
      cutter.armed = false;
      const report: CheckReport = await checkHistory(s.pool, { caseIds: ids });
      const lat = await s.pool.query<{ ms: number }>(`SELECT extract(epoch FROM max(recorded_at) - min(recorded_at)) * 1000 AS ms FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`, [ids]);
      writeFigures('ambiguous-commit', {
        commitsSeen: cutter.commits, commitsCut: cutter.cuts, ...report, wallMs: Date.now() - t0,
        caseDurationMs: latencySummary(lat.rows.map((r) => Math.round(Number(r.ms)))),
      });
      assert.ok(cutter.cuts > 0, 'some commits were cut');
      assert.deepEqual(violations(report), [], report.examples.join('; '));
    } finally {
      await s.close();
      await cutter.stop();
    }
  });
});
