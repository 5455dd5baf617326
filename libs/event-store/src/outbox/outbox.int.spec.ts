import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { sleep } from '@baton/testing';
import type { OutboxMessage } from './outbox-message';

function message(key: string | null, n: number): OutboxMessage {
  return { topic: 'baton.step.text.classify', key, value: Buffer.from([0xc3, 0x01, n & 0xff, 0x00]), headers: { 'baton-message-id': `m-${n}` } };
}

describe('the outbox', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_outbox')));
  after(async () => f?.dispose());

  // Each test starts from an empty backlog.
  beforeEach(async () => {
    for (;;) {
      const rows = await f.store.claimUnsent(1000);
      if (rows.length === 0) break;
      await f.store.markSent(rows.map((r) => r.id));
    }
    await f.connect().then((c) => c.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL'));
  });

  it('publishes nothing until the enqueuing transaction commits, then hands out rows oldest first', async () => {
    await assert.rejects(
      f.store.withTransaction(async (tx) => {
        await f.store.enqueue(tx, [message('case-0', 0)]);
        throw new Error('handler failed');
      }),
    );
    assert.equal(await f.store.outboxBacklog(), 0);

    const ids = await f.store.withTransaction((tx) => f.store.enqueue(tx, [message('case-1', 1), message(null, 2), message('case-1', 3)]));
    assert.equal(ids.length, 3);
    assert.equal(await f.store.outboxBacklog(), 3);
    const claimed = await f.store.claimUnsent(10);
    assert.deepEqual(claimed.map((r) => r.id), ids);
    assert.deepEqual(claimed[0].value, Buffer.from([0xc3, 0x01, 1, 0]));
    assert.equal(claimed[0].topic, 'baton.step.text.classify');
    assert.equal(claimed[0].key, 'case-1');
    assert.equal(claimed[1].key, null);
    assert.deepEqual(claimed[2].headers, { 'baton-message-id': 'm-3' });
    assert.ok(claimed[0].createdAt instanceof Date);

    assert.deepEqual(await f.store.claimUnsent(10), [], 'claimed rows are not handed out twice');
    assert.equal(await f.store.outboxBacklog(), 3, 'claimed is not sent');
    assert.equal(await f.store.markSent(ids), 3);
    assert.equal(await f.store.markSent(ids), 0);
    assert.equal(await f.store.outboxBacklog(), 0);
  });

  it('never gives the same row to two concurrent claimers', async () => {
    const total = 300;
    await f.store.withTransaction((tx) => f.store.enqueue(tx, Array.from({ length: total }, (_, i) => message(i % 3 === 0 ? null : `case-${i % 17}`, i))));
    const seen = new Map<number, string>();
    async function relay(name: string): Promise<void> {
      for (let idle = 0; idle < 20; ) {
        const rows = await f.store.claimUnsent(9);
        if (rows.length === 0) {
          if ((await f.store.outboxBacklog()) === 0) return;
          idle++;
          await sleep(5);
          continue;
        }
        for (const r of rows) {
          assert.ok(!seen.has(r.id), `row ${r.id} claimed by ${seen.get(r.id)} and ${name}`);
          seen.set(r.id, name);
        }
        await f.store.markSent(rows.map((r) => r.id));
      }
    }
    await Promise.all([relay('A'), relay('B'), relay('C')]);
    assert.equal(seen.size, total);
    assert.equal(await f.store.outboxBacklog(), 0);
    assert.ok(new Set(seen.values()).size > 1, 'the relays shared the work');
  });

  it('splits one batch of simultaneous claims between claimers without overlap', async () => {
    await f.store.withTransaction((tx) => f.store.enqueue(tx, Array.from({ length: 100 }, (_, i) => message(null, i))));
    const batches = await Promise.all(Array.from({ length: 4 }, () => f.store.claimUnsent(60)));
    const ids = batches.flat().map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 100);
  });

  it('holds back a row while an earlier row of its key is claimed elsewhere, so a key keeps its order', async () => {
    const [k1, j1, k2] = await f.store.withTransaction((tx) => f.store.enqueue(tx, [message('case-k', 1), message('case-j', 2), message('case-k', 3)]));
    const relayA = await f.store.claimUnsent(1);
    assert.deepEqual(relayA.map((r) => r.id), [k1]);
    const relayB = await f.store.claimUnsent(10);
    assert.deepEqual(relayB.map((r) => r.id), [j1], 'case-k waits behind relay A');
    await f.store.markSent([j1]);
    assert.deepEqual(await f.store.claimUnsent(10), []);
    await f.store.markSent([k1]);
    assert.deepEqual((await f.store.claimUnsent(10)).map((r) => r.id), [k2]);
  });

  it('hands a row out again once its claim lapses unsent (at-least-once)', async () => {
    const [id] = await f.store.withTransaction((tx) => f.store.enqueue(tx, [message('case-lease', 1)]));
    assert.deepEqual((await f.store.claimUnsent(10, { leaseMs: 50 })).map((r) => r.id), [id]);
    assert.deepEqual(await f.store.claimUnsent(10), []);
    await sleep(120);
    assert.deepEqual((await f.store.claimUnsent(10)).map((r) => r.id), [id]);
    assert.equal(await f.store.markSent([id]), 1);
  });
});
