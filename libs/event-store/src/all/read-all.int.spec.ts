import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { gate, sleep } from '@baton/testing';
import type { Checkpoint } from './checkpoint';
import type { RecordedEvent } from '../streams/recorded-event';

describe('reading all events in transaction order', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_readall')));
  after(async () => f?.dispose());

  /** Reads pages until `count` events have come after `from`: xmin may lag behind other sessions of the server. */
  async function readUntil(from: Checkpoint | null, count: number, timeoutMs = 15_000): Promise<{ events: RecordedEvent[]; checkpoint: Checkpoint | null }> {
    const events: RecordedEvent[] = [];
    let checkpoint = from;
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const page = await f.store.readAll({ after: checkpoint, limit: 100 });
      events.push(...page.events);
      checkpoint = page.checkpoint;
      if (page.events.length === 0) {
        if (Date.now() > deadline) assert.fail(`only ${events.length} of ${count} events became readable`);
        await sleep(50);
      }
    }
    return { events, checkpoint };
  }

  it('never returns an event of a later transaction before an earlier, still open one commits', async () => {
    const holdA = gate();
    const aAppended = gate();
    const a = f.store.withTransaction(async (tx) => {
      await f.store.appendToStream(tx, 'case-a', 0, [{ type: 'FromA', data: {} }]);
      aAppended.open();
      await holdA.opened;
    });
    await aAppended.opened;
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-b', 0, [{ type: 'FromB', data: {} }]));

    // B is committed and visible to a plain reader...
    assert.deepEqual((await f.store.readStream('case-b')).map((e) => e.type), ['FromB']);
    // ...but A holds the lower position, still invisible: a reader of `position > last` that took B now would skip A.
    for (let i = 0; i < 5; i++) {
      const page = await f.store.readAll({ after: null, limit: 100 });
      assert.deepEqual(page.events, [], 'B must wait for A');
      assert.equal(page.checkpoint, null);
      await sleep(20);
    }

    holdA.open();
    await a;
    const { events, checkpoint } = await readUntil(null, 2);
    assert.deepEqual(events.map((e) => e.type), ['FromA', 'FromB']);
    assert.ok(BigInt(events[0].transactionId) < BigInt(events[1].transactionId));
    assert.deepEqual(checkpoint, { transactionId: events[1].transactionId, globalPosition: events[1].globalPosition });
    await f.store.storeCheckpoint(null, 'test-projection', checkpoint!);
  });

  it('orders by transaction id, not global position, when a transaction with an earlier xid inserts later', async () => {
    const from = await f.store.loadCheckpoint('test-projection');
    assert.ok(from);
    const holdA = gate();
    const aHasXid = gate();
    const a = f.store.withTransaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // A takes its xid first...
      aHasXid.open();
      await holdA.opened;
      await f.store.appendToStream(tx, 'case-late', 0, [{ type: 'LateA', data: {} }]); // ...and its position last.
    });
    await aHasXid.opened;
    const b = await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-early', 0, [{ type: 'EarlyB', data: {} }]));
    assert.deepEqual((await f.store.readAll({ after: from, limit: 100 })).events, []);
    holdA.open();
    await a;

    const { events } = await readUntil(from, 2);
    assert.deepEqual(events.map((e) => e.type), ['LateA', 'EarlyB']);
    assert.ok(events[0].globalPosition > b.globalPositions[0], 'A inserted after B...');
    assert.ok(BigInt(events[0].transactionId) < BigInt(events[1].transactionId), '...but began first');
  });

  it('pages through every event with a limit and resumes from a stored checkpoint without gaps or repeats', async () => {
    for (let t = 0; t < 4; t++) {
      await f.store.withTransaction(async (tx) => {
        await f.store.appendToStream(tx, `case-page-${t}`, 0, [{ type: 'P', data: { t, n: 0 } }, { type: 'P', data: { t, n: 1 } }, { type: 'P', data: { t, n: 2 } }]);
      });
    }
    const owner = await f.connect();
    const total = Number((await owner.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
    const everything = (await readUntil(null, total)).events;
    assert.equal(everything.length, total);
    const seen: RecordedEvent[] = [];
    let checkpoint: Checkpoint | null = null;
    await f.store.storeCheckpoint(null, 'pager', { transactionId: '0', globalPosition: 0 });
    for (;;) {
      const stored = await f.store.loadCheckpoint('pager');
      const page = await f.store.readAll({ after: checkpoint ?? stored, limit: 5 });
      if (page.events.length === 0) break;
      assert.ok(page.events.length <= 5);
      seen.push(...page.events);
      checkpoint = page.checkpoint;
      await f.store.withTransaction((tx) => f.store.storeCheckpoint(tx, 'pager', page.checkpoint!));
    }
    assert.deepEqual(seen.map((e) => e.eventId), everything.map((e) => e.eventId));
    assert.deepEqual(await f.store.loadCheckpoint('pager'), checkpoint);
    assert.equal(await f.store.loadCheckpoint('no-such-projection'), null);
  });
});

describe('reading all events across a power of ten of transaction ids', () => {
  let g: StoreFixture;
  before(async () => (g = await storeFixture('es_readall_digits')));
  after(async () => g?.dispose());

  it('orders transaction ids as numbers, so reading one event at a time across a power of ten skips none', async (t) => {
    // Burn transaction ids (one subtransaction each) up to just below the next power of ten.
    const { rows } = await g.store.pool.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x');
    const current = BigInt(rows[0]!.x);
    const boundary = 10n ** BigInt(rows[0]!.x.length);
    const burn = Number(boundary - current) - 4;
    // Subtransactions burn about 400 000 ids a second; a server far from its next power of ten
    // (a long-lived one) cannot show the case in a test's time. A fresh server, as in CI, always can.
    if (burn > 2_000_000) return t.skip(`the server's transaction ids are ${burn} short of ${boundary}`);
    if (burn > 0) {
      await g.store.pool.query(`CREATE TEMP TABLE IF NOT EXISTS burn (x int); DO $$ BEGIN FOR i IN 1..${burn} LOOP BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$`);
    }
    for (let i = 0; i < 8; i++) await g.store.withTransaction((tx) => g.store.appendToStream(tx, `digits-${i}`, 'no-stream', [{ type: 'Digit', data: { i } }]));
    const xids = (await g.store.pool.query<{ x: string }>("SELECT transaction_id::text AS x FROM events WHERE stream_id LIKE 'digits-%'")).rows.map((r) => BigInt(r.x));
    assert.ok(xids.some((x) => x < boundary) && xids.some((x) => x >= boundary), `the appends straddle ${boundary}: ${xids.join(', ')}`);
    const seen: number[] = [];
    let checkpoint: Checkpoint | null = null;
    const deadline = Date.now() + 15_000;
    while (seen.length < 8) {
      const page = await g.store.readAll({ after: checkpoint, limit: 1 });
      if (page.events.length === 0) {
        if (Date.now() > deadline) assert.fail(`read ${seen.join(', ')} and then nothing more: events were skipped`);
        await sleep(20);
        continue;
      }
      seen.push(...page.events.map((e) => (e.data as { i: number }).i));
      checkpoint = page.checkpoint;
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
