import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { gate } from '@baton/testing';

const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('durable timers', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_timers')));
  after(async () => f?.dispose());
  beforeEach(async () => {
    await f.connect().then((c) => c.query('DELETE FROM timers'));
  });

  it('schedules, replaces by id, cancels, and fires only when due', async () => {
    await f.store.withTransaction((tx) =>
      f.store.schedule(tx, [
        { timerId: 'case-1/parse/1/timeout', streamId: 'case-1', kind: 'step-timeout', dueAt: T0 + 30_000, payload: { step: 'parse', attempt: 1 } },
        { timerId: 'case-1/review', streamId: 'case-1', kind: 'review-timeout', dueAt: new Date(T0 + 60_000), payload: { queue: 'triage' } },
        { timerId: 'case-2/backoff', streamId: 'case-2', kind: 'retry-backoff', dueAt: T0 + 1_000, payload: null },
      ]),
    );
    // Rescheduling an id moves that timer.
    await f.store.withTransaction((tx) =>
      f.store.schedule(tx, [{ timerId: 'case-1/parse/1/timeout', streamId: 'case-1', kind: 'step-timeout', dueAt: T0 + 5_000, payload: { step: 'parse', attempt: 1, moved: true } }]),
    );
    assert.equal(await f.store.withTransaction((tx) => f.store.cancel(tx, ['case-1/review', 'never-scheduled'])), 1);

    assert.equal(await f.store.dueCount(T0), 0);
    assert.equal(await f.store.dueCount(T0 + 10_000), 2);
    assert.deepEqual(await f.store.withTransaction((tx) => f.store.claimDue(tx, T0, 10)), []);
    const fired = await f.store.withTransaction((tx) => f.store.claimDue(tx, new Date(T0 + 10_000), 10));
    assert.deepEqual(fired.map((t) => [t.timerId, t.kind, t.streamId, t.dueAt.getTime()]), [
      ['case-2/backoff', 'retry-backoff', 'case-2', T0 + 1_000],
      ['case-1/parse/1/timeout', 'step-timeout', 'case-1', T0 + 5_000],
    ]);
    assert.deepEqual(fired[1].payload, { step: 'parse', attempt: 1, moved: true });
    assert.equal(fired[0].payload, null);
    assert.equal(await f.store.dueCount(T0 + 10_000), 0, 'a fired timer is gone');
  });

  it('never gives the same due timer to two concurrent transactions', async () => {
    await f.store.withTransaction((tx) =>
      f.store.schedule(tx, Array.from({ length: 10 }, (_, i) => ({ timerId: `t-${i}`, streamId: `case-${i}`, kind: 'k', dueAt: T0 + i, payload: { i } }))),
    );
    const hold = gate();
    const firstClaimed = gate();
    const first = f.store.withTransaction(async (tx) => {
      const timers = await f.store.claimDue(tx, T0 + 100, 4);
      firstClaimed.open();
      await hold.opened; // keeps its row locks until the others have claimed
      return timers;
    });
    await firstClaimed.opened;
    const second = await f.store.withTransaction((tx) => f.store.claimDue(tx, T0 + 100, 4));
    const third = await f.store.withTransaction((tx) => f.store.claimDue(tx, T0 + 100, 4));
    hold.open();
    const all = [...(await first), ...second, ...third].map((t) => t.timerId);
    assert.deepEqual((await first).map((t) => t.timerId), ['t-0', 't-1', 't-2', 't-3']);
    assert.deepEqual(second.map((t) => t.timerId), ['t-4', 't-5', 't-6', 't-7']);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, 10);
  });

  it('makes a timer due again when the transaction that claimed it rolls back', async () => {
    await f.store.withTransaction((tx) => f.store.schedule(tx, [{ timerId: 'fragile', streamId: 'case-9', kind: 'k', dueAt: T0, payload: {} }]));
    await assert.rejects(
      f.store.withTransaction(async (tx) => {
        assert.equal((await f.store.claimDue(tx, T0, 10)).length, 1);
        throw new Error('effects of firing failed');
      }),
      /effects of firing failed/,
    );
    assert.equal(await f.store.dueCount(T0), 1);
    assert.deepEqual((await f.store.withTransaction((tx) => f.store.claimDue(tx, T0, 10))).map((t) => t.timerId), ['fragile']);
  });

  it('lets many concurrent firing loops share the due timers without a duplicate', async () => {
    await f.store.withTransaction((tx) =>
      f.store.schedule(tx, Array.from({ length: 200 }, (_, i) => ({ timerId: `bulk-${i}`, streamId: `case-${i % 7}`, kind: 'k', dueAt: T0 - i, payload: null }))),
    );
    const fired: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (;;) {
          const batch = await f.store.withTransaction((tx) => f.store.claimDue(tx, T0, 7));
          if (batch.length === 0 && (await f.store.dueCount(T0)) === 0) return;
          fired.push(...batch.map((t) => t.timerId));
        }
      }),
    );
    assert.equal(fired.length, 200);
    assert.equal(new Set(fired).size, 200);
  });
});
