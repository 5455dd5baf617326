import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { gate, sleep } from '@baton/testing';

describe('the inbox', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_inbox')));
  after(async () => f?.dispose());

  it('records a message once and reports a redelivery as already processed', async () => {
    assert.equal(await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'msg-1', 'orchestrator')), true);
    assert.equal(await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'msg-1', 'orchestrator')), false);
  });

  it('keeps separate records for separate consumers of the same message', async () => {
    assert.equal(await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'msg-2', 'orchestrator')), true);
    assert.equal(await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'msg-2', 'case-projection')), true);
  });

  it('forgets a mark whose transaction rolled back, so the redelivered message is handled', async () => {
    await assert.rejects(
      f.store.withTransaction(async (tx) => {
        assert.equal(await f.store.markProcessed(tx, 'msg-3', 'orchestrator'), true);
        throw new Error('handler failed');
      }),
      /handler failed/,
    );
    assert.equal(await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'msg-3', 'orchestrator')), true);
  });

  it('lets only one of two concurrent deliveries of a message through, and its events with it', async () => {
    const hold = gate();
    const firstMarked = gate();
    const first = f.store.withTransaction(async (tx) => {
      const fresh = await f.store.markProcessed(tx, 'msg-4', 'orchestrator');
      if (fresh) await f.store.appendToStream(tx, 'case-inbox', 'any', [{ type: 'Handled', data: { by: 'first' } }]);
      firstMarked.open();
      await hold.opened;
      return fresh;
    });
    await firstMarked.opened;
    const second = f.store.withTransaction(async (tx) => {
      const fresh = await f.store.markProcessed(tx, 'msg-4', 'orchestrator'); // waits for the first
      if (fresh) await f.store.appendToStream(tx, 'case-inbox', 'any', [{ type: 'Handled', data: { by: 'second' } }]);
      return fresh;
    });
    await sleep(100);
    hold.open();
    assert.deepEqual(await Promise.all([first, second]), [true, false]);
    assert.deepEqual((await f.store.readStream('case-inbox')).map((e) => e.data), [{ by: 'first' }]);
  });
});
