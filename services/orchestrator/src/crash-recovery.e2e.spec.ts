import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { caseIdFor } from '@baton/contracts';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, type EventStore } from '@baton/event-store';
import { latencySummary } from '@baton/observability';
import { findStuckCases, migrateProjections } from '@baton/projections';
import { APPLIED_LOG } from '@baton/step-sdk';
import { ServiceProcess } from '@baton/testing';
import { defineWorkflow } from '@baton/workflow-engine';
import { createWorld, waitFor, type World } from './testing/harness';
import { triggerMessage } from './testing/trigger';
import { checkHistory, completedCases, readJournal } from './faults/checker';

/*
 * The kill test. `npm test` runs a short version; the fault suite (`npm run faults`) runs it in
 * full: BATON_CRASH_CASES=240 BATON_CRASH_KILLS=18. Kills go round-robin to the orchestrator, the
 * step service, and both together, each SIGKILLed and restarted as a supervisor would.
 */
const root = resolve(__dirname, '../../..');
const CASES = Number(process.env.BATON_CRASH_CASES ?? 60);
const KILLS = Number(process.env.BATON_CRASH_KILLS ?? 6);
const SESSION_TIMEOUT_MS = 6000;
// The step service's side effects (testing/crash-steps.ts): `notify` through writeOnce, `naive` without a key.
const EFFECTS_DIR = join(root, 'tmp', `crash-effects-${process.pid}`);

// The onboarding workflow of issue 15: a retry with a backoff timer, and a parallel branch.
const workflow = defineWorkflow({
  name: 'crash-onboarding', version: 1,
  steps: {
    validate: { type: 'noop', timeout: 'PT20S' },
    billing: { type: 'noop', needs: ['validate'], timeout: 'PT20S' },
    welcome: { type: 'noop', needs: ['billing'], timeout: 'PT20S' },
    workspace: { type: 'noop', needs: ['billing'], timeout: 'PT20S', retry: { maxAttempts: 3, initialInterval: 'PT1S', jitter: 0.2 } },
    manager: { type: 'noop', needs: ['welcome', 'workspace'], timeout: 'PT20S' },
  },
});

type Target = 'orchestrator' | 'steps' | 'both';
const ENDED = "('CaseCompleted','CaseFailed','CaseCancelled')";

describe('crash recovery', () => {
  let world: World;
  let store: EventStore;
  let orchestrator: ServiceProcess;
  let steps: ServiceProcess;

  before(async () => {
    world = await createWorld('crash', ['noop']);
    await migrateDefinitions(world.db.url);
    await migrateProjections(world.db.url);
    store = await createEventStore(world.db.url);
    await new DefinitionRegistry(store.pool).register(workflow);
    const common = {
      KAFKA_BROKERS: world.config.brokers.join(','), BATON_TOPIC_NAMESPACE: world.config.topicNamespace,
      BATON_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    };
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      ...common, DATABASE_URL: world.db.url, PORT: '0', BATON_ORCHESTRATOR_GROUP: world.config.groupId, BATON_TIMER_POLL_MS: '50',
    });
    rmSync(EFFECTS_DIR, { recursive: true, force: true });
    steps = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', { ...common, BATON_CRASH_EFFECTS_DIR: EFFECTS_DIR });
  });

  after(async () => {
    await orchestrator?.stop();
    await steps?.stop();
    await store?.close();
    await world?.close();
    rmSync(EFFECTS_DIR, { recursive: true, force: true });
  });

  const endedCases = async (): Promise<Set<string>> =>
    new Set((await store.pool.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE event_type IN ${ENDED}`)).rows.map((r) => r.stream_id));

  it(`ends every one of ${CASES} cases exactly once when the orchestrator and the step service are SIGKILLed ${KILLS} times`, async () => {
    await Promise.all([orchestrator.start(), steps.start()]);
    const caseIds = Array.from({ length: CASES }, (_, i) => caseIdFor({ workflow: workflow.name, key: `crash-${i}`, triggerId: 'unused' }));
    let sent = 0;
    const send = async (n: number) => {
      const batch = Array.from({ length: Math.min(n, CASES - sent) }, (_, j) =>
        triggerMessage(world.catalog, world.topics.triggers, { workflow: workflow.name, inputName: 'baton.steps.noop.Input', input: { n: sent + j }, key: `crash-${sent + j}` }));
      sent += batch.length;
      if (batch.length > 0) await world.producer.send(batch);
    };
    const kills: { target: Target; killedAt: number; restartMs: number; inFlight: string[] }[] = [];
    const perBurst = Math.ceil(CASES / (KILLS + 1));
    for (let k = 0; k < KILLS; k++) {
      await send(perBurst);
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2000));
      const target: Target = (['orchestrator', 'steps', 'both'] as const)[k % 3]!;
      const ended = await endedCases();
      const inFlight = caseIds.slice(0, sent).filter((id) => !ended.has(id));
      const victims = target === 'both' ? [orchestrator, steps] : [target === 'orchestrator' ? orchestrator : steps];
      const killedAt = Date.now();
      await Promise.all(victims.map((p) => p.kill()));
      await Promise.all(victims.map((p) => p.start()));
      kills.push({ target, killedAt, restartMs: Date.now() - killedAt, inFlight });
    }
    await send(CASES);
    const lastKillAt = Date.now();

    let waitError: Error | null = null;
    try {
      await waitFor(async () => ((await endedCases()).size >= CASES ? true : undefined), `all ${CASES} cases to end`, 180_000);
    } catch (error) {
      waitError = error as Error;
    }

    const ended = await endedCases();
    const neverEnded = caseIds.filter((id) => !ended.has(id));
    const terminal = await store.pool.query<{ stream_id: string; n: string }>(`SELECT stream_id, count(*) AS n FROM events WHERE event_type IN ${ENDED} GROUP BY stream_id`);
    const duplicates = await store.pool.query<{ n: string }>(`
      SELECT count(*) AS n FROM (
        SELECT stream_id, event_type, data->>'stepId', data->>'attempt', count(*) FROM events
        GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d`);
    const started = await store.pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'CaseStarted'");
    const failed = await store.pool.query<{ n: string }>("SELECT count(DISTINCT stream_id) AS n FROM events WHERE event_type = 'CaseFailed'");
    const retries = await store.pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'StepRetryScheduled'");
    // Recovery: from a kill, how long until each case in flight at it recorded its next event.
    let longestRecoveryMs = 0;
    const recoveries: number[] = [];
    for (const k of kills) {
      const next = await store.pool.query<{ first: Date }>(
        'SELECT min(recorded_at) AS first FROM events WHERE stream_id = ANY($1) AND recorded_at > $2 GROUP BY stream_id', [k.inFlight, new Date(k.killedAt)]);
      for (const row of next.rows) {
        longestRecoveryMs = Math.max(longestRecoveryMs, row.first.getTime() - k.killedAt);
        recoveries.push(row.first.getTime() - k.killedAt);
      }
    }
    // The effects, as the checker reads them: every completed case notified exactly once.
    const completed = await completedCases(store.pool, caseIds);
    const naive = readJournal(join(EFFECTS_DIR, 'naive.log'));
    const check = await checkHistory(store.pool, { caseIds, effects: { notify: readJournal(join(EFFECTS_DIR, 'notify', APPLIED_LOG)), naive }, required: { notify: completed } });
    const figures = {
      cases: CASES, kills: KILLS,
      effectsAppliedTwice: check.effectsAppliedTwice, effectsMissing: check.effectsMissing,
      naiveRunsOfTheLastStep: naive.length,
      killsByTarget: Object.fromEntries((['orchestrator', 'steps', 'both'] as const).map((t) => [t, kills.filter((k) => k.target === t).length])),
      casesStarted: Number(started.rows[0]!.n), neverEnded: neverEnded.length,
      endedTwice: terminal.rows.filter((r) => Number(r.n) > 1).length, casesFailed: Number(failed.rows[0]!.n),
      eventsDuplicated: Number(duplicates.rows[0]!.n), retriesScheduled: Number(retries.rows[0]!.n),
      longestRecoveryMs, recoveryMs: latencySummary(recoveries), allEndedWithinMsOfLastKill: waitError ? null : Date.now() - lastKillAt,
      inFlightAtKill: kills.map((k) => k.inFlight.length), restartMs: kills.map((k) => k.restartMs),
    };
    mkdirSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'tmp', 'crash-recovery.json'), `${JSON.stringify(figures, null, 2)}\n`);
    mkdirSync(join(root, 'tmp', 'faults'), { recursive: true });
    writeFileSync(join(root, 'tmp', 'faults', 'sigkill.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`crash recovery: ${JSON.stringify(figures)}`);
    if (neverEnded.length > 0) {
      const stuck = await findStuckCases(store, { caseIds: neverEnded.slice(0, 20) });
      console.error(`never ended: ${JSON.stringify(stuck.map((c) => ({ caseId: c.caseId, last: c.lastEvent, reasons: c.reasons })))}\n` +
        `orchestrator log:\n${orchestrator.log.slice(-3000)}\nsteps log:\n${steps.log.slice(-2000)}`);
    }
    assert.equal(figures.casesStarted, CASES, 'every trigger started exactly one case');
    assert.equal(figures.neverEnded, 0, `cases never ended: ${neverEnded.slice(0, 10).join(', ')}`);
    assert.equal(figures.endedTwice, 0, 'no case ended twice');
    assert.equal(figures.eventsDuplicated, 0, 'no event was recorded twice');
    assert.equal(check.effectsAppliedTwice.notify, 0, 'no notify effect applied twice (writeOnce)');
    assert.equal(check.effectsMissing.notify, 0, 'every completed case applied its notify effect');
    assert.ok(completed.length > 0, 'some cases completed');
    assert.ok(figures.retriesScheduled >= CASES, 'every case waited on a retry backoff timer');
    assert.ok(kills.every((k) => k.inFlight.length > 0), `every kill hit cases in flight (${figures.inFlightAtKill.join(', ')})`);
  });
});
