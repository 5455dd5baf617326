import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DueTimer, EventStore, Tx } from '@baton/event-store';
import { defineWorkflow, type CaseEvent } from '@baton/workflow-engine';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { sendTrigger } from '../testing/trigger';
import { TimerLoop } from './timer-loop';

// A retry with a backoff timer, then a second step: a case whose retry timer is lost never ends.
const retrying = defineWorkflow({
  name: 'timer-loop-retry', version: 1,
  steps: {
    workspace: { type: 'noop', retry: { maxAttempts: 3, initialInterval: 'PT0.2S', jitter: 0 } },
    manager: { type: 'noop', needs: ['workspace'] },
  },
});

describe('the timer loop fires every timer it claims', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;

  before(async () => {
    world = await createWorld('timerloop', ['noop']);
    orchestrator = await startOrchestrator(world);
    await orchestrator.registerWorkflow(retrying);
    // The first attempt of `workspace` fails retryably; everything else completes.
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], (r: SeenRequest) =>
      r.stepId === 'workspace' && r.attempt === 1 ? { fail: { name: 'Busy', retryable: true } } : { output: { ok: true } });
    await worker.start();
  });

  after(async () => {
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  async function start(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(await sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: retrying.name, inputName: 'baton.steps.noop.Input', input: { n: i } }));
    }
    return ids;
  }

  const events = async (caseId: string): Promise<CaseEvent[]> =>
    (await orchestrator.store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent);

  /** Waits (with the orchestrator's own timer loop stopped) until every case waits for its retry and the retry is due. */
  async function allWaitingToRetry(ids: string[]): Promise<void> {
    await waitFor(async () => {
      for (const id of ids) if (!(await events(id)).some((e) => e.type === 'StepRetryScheduled')) return undefined;
      return true;
    }, 'every case to schedule its retry');
    await waitFor(async () => ((await orchestrator.store.dueCount(Date.now())) >= ids.length ? true : undefined), 'the retry timers to be due');
  }

  async function allCompleted(ids: string[], timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => {
      for (const id of ids) if ((await events(id)).at(-1)?.type !== 'CaseCompleted') return undefined;
      return true;
    }, `cases ${ids.join(', ')} to complete`, timeoutMs);
  }

  it('fires all the timers of a claim that returns more rows than it asked for (the plan-dependent LIMIT of issue 15)', async () => {
    await orchestrator.timers.stop();
    const ids = await start(3);
    await allWaitingToRetry(ids);
    // A store whose claim returns up to three rows whatever the limit: what the old
    // `DELETE ... WHERE timer_id IN (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED)` did under some plans.
    const store = orchestrator.store;
    const greedy = Object.create(store) as EventStore;
    let widest = 0;
    greedy.claimDue = async (tx: Tx, now: Date | number) => {
      const rows = await store.claimDue(tx, now, 3);
      widest = Math.max(widest, rows.length);
      return rows;
    };
    const loop = new TimerLoop(greedy, orchestrator.handler, { pollMs: 20, claimSize: 1 });
    loop.start();
    try {
      await allCompleted(ids);
    } finally {
      await loop.stop();
    }
    assert.equal(widest, 3, 'the claim did return three timers at once');
    for (const id of ids) {
      const scheduled = (await events(id)).filter((e) => e.type === 'StepScheduled').map((e) => `${e.data.stepId}#${e.data.attempt}`);
      assert.deepEqual(scheduled, ['workspace#1', 'workspace#2', 'manager#1'], `case ${id}`);
    }
  });

  it('leaves the timers due when the process fails between the claim and the firing, and fires them on the next round', async () => {
    const ids = await start(2);
    await allWaitingToRetry(ids);
    let crashes = 0;
    const loop = new TimerLoop(orchestrator.store, orchestrator.handler, {
      pollMs: 20, claimSize: 2,
      afterClaim: (timers: readonly DueTimer[]) => {
        if (timers.length > 0 && crashes < 2) { crashes++; throw new Error('killed between claim and handle'); }
      },
    });
    loop.start();
    try {
      await allCompleted(ids);
    } finally {
      await loop.stop();
    }
    assert.equal(crashes, 2);
    assert.equal(loop.postponed, 0, 'two failures stay under the postpone threshold');
  });

  it('postpones a timer that keeps failing, so the timers due after it still fire', async () => {
    const [poisoned] = await start(1);
    await allWaitingToRetry([poisoned!]);
    const healthy = await start(2);
    await allWaitingToRetry(healthy);
    const poisonId = `${poisoned}:retry:workspace:2`;
    const loop = new TimerLoop(orchestrator.store, orchestrator.handler, {
      pollMs: 20, postponeAfter: 3, postponeMs: 60_000,
      afterClaim: (timers: readonly DueTimer[]) => {
        if (timers.some((t) => t.timerId === poisonId)) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      },
    });
    loop.start();
    try {
      await allCompleted(healthy);
    } finally {
      await loop.stop();
    }
    assert.equal(loop.postponed, 1);
    const [timer] = await orchestrator.store.timersOf([poisoned!]);
    assert.equal(timer?.timerId, poisonId, 'the failing timer is kept, not lost');
    assert.ok(timer!.dueAt.getTime() > Date.now() + 30_000, 'and moved later');
    // Once the fault is gone (here: the normal loop), it fires and the case ends.
    await orchestrator.store.withTransaction((tx) => orchestrator.store.postpone(tx, poisonId, Date.now()));
    orchestrator.timers.start();
    await allCompleted([poisoned!]);
  });
});
