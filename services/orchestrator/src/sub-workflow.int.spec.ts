import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { caseIdFor, ContractNames } from '@baton/contracts';
import { defineWorkflow, type CaseEvent } from '@baton/workflow-engine';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from './orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from './testing/harness';
import { sendTrigger } from './testing/trigger';

const noopInput = 'baton.steps.noop.Input';
const childOk = defineWorkflow({ name: 'child-ok', version: 1, input: noopInput, steps: { only: { type: 'noop' } } });
const childBad = defineWorkflow({
  name: 'child-bad', version: 1, input: noopInput,
  steps: {
    reserve: { type: 'noop', compensate: 'reply.withdraw' },
    boom: { type: 'noop', needs: ['reserve'], retry: { maxAttempts: 1 } },
  },
});
const childSlow = defineWorkflow({ name: 'child-slow', version: 1, input: noopInput, steps: { hang: { type: 'noop', timeout: 'PT10M' } } });
const family = defineWorkflow({
  name: 'family', version: 1, input: noopInput,
  steps: {
    first: { type: 'workflow', workflow: { name: 'child-ok', version: 1 }, input: '{ "n": 1 }', compensate: 'reply.withdraw' },
    second: { type: 'workflow', workflow: { name: 'child-bad', version: 1 }, needs: ['first'], input: '{ "n": 2 }', retry: { maxAttempts: 1 } },
  },
});
const waiting = defineWorkflow({ name: 'waiting', version: 1, input: noopInput, steps: { kid: { type: 'workflow', workflow: { name: 'child-slow', version: 1 }, timeout: 'PT10M' } } });

describe('sub-workflows on real Kafka and Postgres', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;

  before(async () => {
    world = await createWorld('subwf', ['noop', 'reply.withdraw']);
    orchestrator = await startOrchestrator(world);
    for (const w of [childOk, childBad, childSlow, family, waiting]) await orchestrator.registerWorkflow(w);
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop', 'reply.withdraw'], (r: SeenRequest) => {
      if (r.stepId === 'boom') return { fail: { name: 'OutOfStock', message: 'nothing left', retryable: false } };
      if (r.stepId === 'hang') return 'silence';
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

  const events = async (caseId: string): Promise<CaseEvent[]> => (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
  const ended = (caseId: string) => waitFor(async () => {
    const es = await events(caseId);
    return es.some((e) => ['CaseCompleted', 'CaseFailed', 'CaseCancelled'].includes(e.type)) ? es : undefined;
  }, `case ${caseId} to end`, 120_000);

  it('a parent with two children: the first completes, the second fails and compensates, then the parent fails and compensates the first', async () => {
    const parent = await sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: 'family', inputName: noopInput, input: { n: 0 } });
    const es = await ended(parent);
    const okId = caseIdFor({ workflow: 'child-ok', key: `${parent}:first:1`, triggerId: '' });
    const badId = caseIdFor({ workflow: 'child-bad', key: `${parent}:second:1`, triggerId: '' });
    const scheduled = es.filter((e) => e.type === 'StepScheduled').map((e) => [e.data.stepId, (e.data as { childCaseId?: string }).childCaseId]);
    assert.deepEqual(scheduled, [['first', okId], ['second', badId]]);
    const firstDone = es.find((e) => e.type === 'StepCompleted' && e.data.stepId === 'first');
    assert.deepEqual((firstDone?.data as { output?: unknown } | undefined)?.output, { only: { ok: true } }, 'the step completes with the child case output');
    const failed = es.find((e) => e.type === 'StepAttemptFailed' && e.data.stepId === 'second');
    assert.equal(failed?.type === 'StepAttemptFailed' && failed.data.error.name, 'ChildCaseFailed');
    assert.match(failed?.type === 'StepAttemptFailed' ? failed.data.error.message : '', /failed at step 'boom': OutOfStock/);
    assert.ok(es.some((e) => e.type === 'CompensationCompleted' && e.data.stepId === 'first'), 'the parent compensated its completed child step');
    assert.equal(es.at(-1)!.type, 'CaseFailed');

    const bad = await ended(badId);
    assert.deepEqual((bad[0]!.data as { parent?: unknown }).parent, { caseId: parent, stepId: 'second', attempt: 1 });
    assert.ok(bad.some((e) => e.type === 'CompensationCompleted' && e.data.stepId === 'reserve'), 'the failed child compensated its own work first');
    assert.equal(bad.at(-1)!.type, 'CaseFailed');
    const ok = await ended(okId);
    assert.equal(ok.at(-1)!.type, 'CaseCompleted');
    // The projections link parent and children both ways.
    const summary = await waitFor(async () => {
      const c = await orchestrator.queries.getCase(parent);
      return c?.summary.status === 'failed' ? c.summary : undefined;
    }, 'the parent summary');
    assert.deepEqual(summary.children, [
      { caseId: okId, stepId: 'first', attempt: 1, workflow: 'child-ok', version: 1 },
      { caseId: badId, stepId: 'second', attempt: 1, workflow: 'child-bad', version: 1 },
    ]);
    const childSummary = await waitFor(async () => (await orchestrator.queries.getCase(badId))?.summary, 'the child summary');
    assert.equal(childSummary.parentCaseId, parent);
    assert.equal((await events(okId)).filter((e) => e.type === 'CaseStarted').length, 1);
  });

  it('cancelling the parent cancels its running child', async () => {
    const parent = await sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: 'waiting', inputName: noopInput, input: { n: 5 } });
    const childId = caseIdFor({ workflow: 'child-slow', key: `${parent}:kid:1`, triggerId: '' });
    await waitFor(async () => ((await events(childId)).some((e) => e.type === 'StepScheduled') ? true : undefined), 'the child to start its step');
    const signalId = randomUUID();
    await world.producer.send([{ topic: world.topics.signals, key: parent, value: world.catalog.encode(ContractNames.CancelCase, { signalId, caseId: parent, reason: 'no longer needed', requestedBy: 'test', requestedAt: Date.now() }) }]);
    const es = await ended(parent);
    assert.equal(es.at(-1)!.type, 'CaseCancelled');
    const child = await ended(childId);
    assert.equal(child.at(-1)!.type, 'CaseCancelled');
    assert.match(String((child.find((e) => e.type === 'CaseCancellationRequested')?.data as { reason?: string }).reason), new RegExp(`parent case ${parent}`));
  });
});
