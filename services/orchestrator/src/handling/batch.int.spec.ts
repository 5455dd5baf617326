import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { loadContracts, topicNames } from '@baton/contracts';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, migrate, type EventStore, type Tx } from '@baton/event-store';
import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { defineWorkflow, type CaseCommand, type CaseEvent } from '@baton/workflow-engine';
import { OrchestratorMetrics } from '../metrics/orchestrator-metrics';
import { CaseHandler, type BatchItem, type HandleOptions } from './case-handler';
import { Outbound } from './outbound';

// The benchmark's shape: a → b → c → (d ∥ e), with a retry on b.
const workflow = defineWorkflow({
  name: 'batch-five', version: 1,
  steps: {
    a: { type: 'noop' },
    b: { type: 'noop', needs: ['a'], retry: { maxAttempts: 3, initialInterval: 'PT1S', jitter: 0 } },
    c: { type: 'noop', needs: ['b'] },
    d: { type: 'noop', needs: ['c'] },
    e: { type: 'noop', needs: ['c'] },
  },
});
const T0 = Date.parse('2030-01-01T00:00:00Z');

/** A database with the event store and the definition registry, and a case handler on it with a fixed clock. */
async function world(name: string): Promise<{ db: FreshDatabase; store: EventStore; handler: CaseHandler; metrics: OrchestratorMetrics; another: () => CaseHandler }> {
  const db = await freshDatabase(name);
  await migrate(db.url);
  await migrateDefinitions(db.url);
  const store = await createEventStore(db.url, { poolSize: 6 });
  const registry = new DefinitionRegistry(store.pool);
  await registry.register(workflow);
  const catalog = loadContracts();
  const metrics = new OrchestratorMetrics(new Registry(), { stalls: () => [], outboxBacklog: async () => 0, timersDue: async () => 0, openTasksByQueue: async () => ({}) });
  const another = () => new CaseHandler({ store, registry, catalog, outbound: new Outbound(catalog, topicNames('batch')), metrics, clock: () => T0, random: () => 0.5 });
  return { db, store, handler: another(), metrics, another };
}

const start = (caseId: string): CaseCommand => ({ type: 'StartCase', data: { caseId, input: { n: 1 }, triggeredBy: 'test' } });
const done = (stepId: string, attempt = 1): CaseCommand => ({ type: 'StepResultCompleted', data: { stepId, attempt, output: { ok: true } } });
const failed = (stepId: string, attempt = 1): CaseCommand => ({ type: 'StepResultFailed', data: { stepId, attempt, error: { name: 'Busy', message: 'try later', retryable: true } } });
const item = (caseId: string, command: CaseCommand, messageId: string = randomUUID()): BatchItem => ({
  caseId, command, options: { consumer: 'orchestrator', messageId, ...(command.type === 'StartCase' ? { workflow } : {}) } satisfies HandleOptions,
});

describe('batched case handling (group commit) against real Postgres', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => (w = await world('batch')));
  after(async () => {
    await w?.store.close();
    await w?.db.drop();
  });

  const types = async (caseId: string) => (await w.store.readStream(caseId)).map((e) => (e.data as { stepId?: string }).stepId ? `${e.type}:${(e.data as { stepId: string }).stepId}` : e.type);

  it('handles two messages of one case in order, and drops a duplicate in the same batch', async () => {
    const id = randomUUID();
    const outcomes = await w.handler.handleBatch([item(id, start(id), 'm-start'), item(id, start(id), 'm-start'), item(id, done('a'), 'm-a')]);
    assert.deepEqual(outcomes.map((o) => ('outcome' in o ? o.outcome.status : 'deferred')), ['applied', 'duplicate', 'applied']);
    assert.deepEqual(await types(id), ['CaseStarted', 'StepScheduled:a', 'StepCompleted:a', 'StepScheduled:b']);
    const again = await w.handler.handleBatch([item(id, done('a'), 'm-a')]);
    assert.deepEqual(again.map((o) => 'outcome' in o && o.outcome.status), ['duplicate'], 'the inbox remembers the batch');
  });

  it('defers a message its case refuses, and the later messages of that case, and applies the rest', async () => {
    const [good, ghost, other] = [randomUUID(), randomUUID(), randomUUID()];
    const outcomes = await w.handler.handleBatch([
      item(good, start(good)), item(ghost, done('a'), 'm-ghost'), item(other, start(other)), item(ghost, start(ghost), 'm-ghost-start'), item(good, done('a')),
    ]);
    assert.deepEqual(outcomes.map((o) => ('outcome' in o ? o.outcome.status : `deferred:${o.deferred.name}`)), [
      'applied', 'deferred:CaseNotStarted', 'applied', 'deferred:Error', 'applied',
    ]);
    assert.deepEqual(await types(good), ['CaseStarted', 'StepScheduled:a', 'StepCompleted:a', 'StepScheduled:b']);
    assert.deepEqual(await types(other), ['CaseStarted', 'StepScheduled:a']);
    assert.deepEqual(await types(ghost), []);
    // Deferred messages were not marked in the inbox: handled alone, they count as new.
    await assert.rejects(w.handler.handle(ghost, done('a'), item(ghost, done('a'), 'm-ghost').options), /CaseNotStarted|not started/i);
    assert.equal((await w.handler.handle(ghost, start(ghost), item(ghost, start(ghost), 'm-ghost-start').options)).status, 'applied');
  });

  it('does not trust a cached state that another instance moved on, even when the stale state would decide nothing', async () => {
    const id = randomUUID();
    const other = w.another(); // a second orchestrator instance with a cache of its own
    await w.handler.handleBatch([item(id, start(id))]); // cached here at: a attempt 1 running
    await other.handle(id, failed('a'), item(id, failed('a')).options);
    await other.handle(id, { type: 'TimerFired', data: { timerId: `${id}:retry:a:2`, kind: 'retry', stepId: 'a', attempt: 2 } }, item(id, start(id)).options);
    // On the stale cache, a result of attempt 2 would be ignored as an attempt that never ran, and lost.
    const [o] = await w.handler.handleBatch([item(id, done('a', 2))]);
    assert.ok(o && 'outcome' in o && o.outcome.status === 'applied' && !o.outcome.ignored, JSON.stringify(o));
    assert.deepEqual((await types(id)).slice(-3), ['StepScheduled:a', 'StepCompleted:a', 'StepScheduled:b']);
  });

  it('runs again on fresh state when a concurrent writer moved a case on between the decision and the append', async () => {
    const id = randomUUID();
    await w.handler.handle(id, start(id), item(id, start(id)).options);
    const conflictsBefore = (await w.metrics.conflicts.get()).values[0]?.value ?? 0;
    const store = w.store;
    const cancel = store.cancel.bind(store);
    let interfered = false;
    // The first write of the batch's transaction; it holds no lock yet, so another writer can commit first.
    store.cancel = async (tx: Tx, ids: readonly string[]) => {
      if (!interfered) {
        interfered = true; // a second orchestrator (here: an operator repair) commits first
        await w.another().handle(id, { type: 'RepairCase', data: { requestedBy: 'other' } }, item(id, start(id)).options);
      }
      return cancel(tx, ids);
    };
    try {
      const outcomes = await w.handler.handleBatch([item(id, done('a'))]);
      assert.deepEqual(outcomes.map((o) => 'outcome' in o && o.outcome.status), ['applied']);
    } finally {
      store.cancel = cancel;
    }
    assert.ok(interfered);
    assert.deepEqual(await types(id), ['CaseStarted', 'StepScheduled:a', 'CaseRepaired', 'StepCompleted:a', 'StepScheduled:b']);
    assert.equal((await w.metrics.conflicts.get()).values[0]!.value, conflictsBefore + 1);
  });
});

describe('batched handling gives the same events as one message at a time (property, real Postgres)', () => {
  let one: Awaited<ReturnType<typeof world>>;
  let many: Awaited<ReturnType<typeof world>>;
  before(async () => {
    one = await world('batch_one');
    many = await world('batch_many');
  });
  after(async () => {
    for (const w of [one, many]) {
      await w?.store.close();
      await w?.db.drop();
    }
  });

  // Each case's own messages in order: start, a, b (sometimes failing first), c, d and e in either order;
  // some messages are delivered twice, some results are stale (an attempt that never ran).
  const caseScript = fc.record({
    bFails: fc.boolean(), deFirst: fc.constantFrom('d', 'e'),
    redeliver: fc.array(fc.nat(7), { maxLength: 3 }), stale: fc.boolean(),
  });
  const scenario = fc.record({ cases: fc.array(caseScript, { minLength: 1, maxLength: 4 }), seed: fc.nat(), cuts: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }) });

  it('for random interleavings of several cases cut into random batch sizes', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(scenario, async ({ cases, seed, cuts }) => {
      run++;
      const perCase = cases.map((c, i) => {
        const caseId = `p${run}-c${i}`;
        const cmds: CaseCommand[] = [start(caseId), done('a')];
        if (c.bFails) cmds.push(failed('b'), { type: 'TimerFired', data: { timerId: `${caseId}:retry:b:2`, kind: 'retry', stepId: 'b', attempt: 2 } }, done('b', 2));
        else cmds.push(done('b'));
        if (c.stale) cmds.push(done('c', 7));
        cmds.push(done('c'), done(c.deFirst), done(c.deFirst === 'd' ? 'e' : 'd'));
        const items = cmds.map((command, k) => item(caseId, command, `${caseId}-m${k}`));
        for (const r of c.redeliver) items.splice(Math.min(items.length, r + 1), 0, items[Math.min(r, items.length - 1)]!);
        return items;
      });
      // Interleave the cases (each keeps its order), driven by the seed.
      const all: BatchItem[] = [];
      const queues = perCase.map((q) => [...q]);
      let s = seed;
      while (queues.some((q) => q.length > 0)) {
        const open = queues.filter((q) => q.length > 0);
        s = (s * 1103515245 + 12345) % 2147483648;
        all.push(open[s % open.length]!.shift()!);
      }
      for (const it of all) await one.handler.handle(it.caseId, it.command, it.options).catch(() => undefined);
      for (let i = 0, k = 0; i < all.length; k++) {
        const size = cuts[k % cuts.length]!;
        const outcomes = await many.handler.handleBatch(all.slice(i, i + size));
        // What a batch defers is handled alone, as the consumer does.
        for (const [j, o] of outcomes.entries()) {
          if ('deferred' in o) { const it = all[i + j]!; await many.handler.handle(it.caseId, it.command, it.options).catch(() => undefined); }
        }
        i += size;
      }
      for (const c of perCase) {
        const caseId = c[0]!.caseId;
        const strip = (es: { type: string; data: unknown }[]) => es.map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
        assert.deepStrictEqual(strip(await many.store.readStream(caseId)), strip(await one.store.readStream(caseId)), `case ${caseId}`);
        assert.equal((await one.store.readStream(caseId)).at(-1)?.type, 'CaseCompleted');
      }
    }), { numRuns: 25 });
  });
});
