import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ContractNames } from '@baton/contracts';
import { findStuckCases } from '@baton/projections';
import { defineWorkflow, type CaseEvent } from '@baton/workflow-engine';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { sendTrigger } from '../testing/trigger';

const onboarding = defineWorkflow({
  name: 'stuck-onboarding', version: 1,
  steps: {
    validate: { type: 'noop' },
    workspace: { type: 'noop', needs: ['validate'], retry: { maxAttempts: 3, initialInterval: 'PT0.2S', jitter: 0 } },
    welcome: { type: 'noop', needs: ['validate'] },
    manager: { type: 'noop', needs: ['workspace', 'welcome'] },
  },
});

describe('the stuck-case check and its repair, against real Kafka and Postgres', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;

  before(async () => {
    world = await createWorld('stuck', ['noop']);
    orchestrator = await startOrchestrator(world);
    await orchestrator.registerWorkflow(onboarding);
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], (r: SeenRequest) =>
      r.stepId === 'workspace' && r.attempt === 1 ? { fail: { name: 'Busy', retryable: true } } : { output: { ok: true } });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  const events = async (caseId: string): Promise<CaseEvent[]> =>
    (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);

  const start = (): Promise<string> =>
    sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: onboarding.name, inputName: 'baton.steps.noop.Input', input: { n: 1 } });

  async function repair(caseId: string): Promise<void> {
    const signal = { signalId: randomUUID(), caseId, requestedBy: 'sre', requestedAt: Date.now() };
    await world.producer.send([{ topic: world.topics.signals, key: caseId, value: world.catalog.encode(ContractNames.RepairCase, signal) }]);
  }

  it('finds a running case whose retry timer is gone, says why, and a repair lets it complete', async () => {
    // The timer loop is stopped so the retry timer can be lost the way issue 15 lost it: deleted, never fired.
    await orchestrator.timers.stop();
    const healthy = await start();
    const caseId = await start();
    for (const id of [healthy, caseId]) {
      await waitFor(async () => ((await events(id)).some((e) => e.type === 'StepRetryScheduled') ? true : undefined), `case ${id} to wait for its retry`);
    }
    await orchestrator.store.withTransaction((tx) => orchestrator.store.cancel(tx, [`${caseId}:retry:workspace:2`]));
    await orchestrator.projector!.catchUp();

    const stuck = await findStuckCases(orchestrator.store, { workflow: onboarding.name });
    assert.deepEqual(stuck.map((c) => c.caseId), [caseId], 'the case with its timer is not stuck');
    const [c] = stuck;
    assert.equal(c!.status, 'running');
    assert.deepEqual(c!.missingTimers.map((t) => [t.kind, t.stepId, t.attempt]), [['retry', 'workspace', 2]]);
    assert.match(c!.reasons.join('\n'), /step 'workspace' waits to retry as attempt 2 .*no retry timer exists/);
    assert.equal(c!.repair, `baton case ${caseId} --repair`);
    assert.equal((await orchestrator.stuck.check()).length, 1);
    assert.match(await orchestrator.metricsRegistry.metrics(), /^baton_cases_stuck({[^}]*})? 1$/m);

    await repair(caseId);
    await waitFor(async () => ((await events(caseId)).some((e) => e.type === 'CaseRepaired') ? true : undefined), 'the repair to be recorded');
    const repaired = (await events(caseId)).find((e) => e.type === 'CaseRepaired')!;
    assert.deepEqual(repaired.data, { rearmed: [`${caseId}:retry:workspace:2`], advanced: false, requestedBy: 'sre', at: (repaired.data as { at: number }).at });
    assert.deepEqual((await findStuckCases(orchestrator.store, { caseIds: [caseId] })).length, 0, 'repaired: its timer is back');

    orchestrator.timers.start();
    for (const id of [healthy, caseId]) {
      await waitFor(async () => ((await events(id)).at(-1)?.type === 'CaseCompleted' ? true : undefined), `case ${id} to complete`, 20_000);
    }
    assert.equal((await orchestrator.stuck.check()).length, 0);
    assert.match(await orchestrator.metricsRegistry.metrics(), /^baton_cases_stuck({[^}]*})? 0$/m);
  });

  it('repairs nothing on an ended case: the signal is recorded by the inbox and changes no event', async () => {
    const caseId = await start();
    await waitFor(async () => ((await events(caseId)).at(-1)?.type === 'CaseCompleted' ? true : undefined), 'the case to complete', 20_000);
    const before = (await events(caseId)).length;
    await repair(caseId);
    const marker = await start(); // signals and triggers share no partition order, so wait for a later case to end too
    await waitFor(async () => ((await events(marker)).at(-1)?.type === 'CaseCompleted' ? true : undefined), 'a later case to complete', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await events(caseId)).length, before);
  });
});
