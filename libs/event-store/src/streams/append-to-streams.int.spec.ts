import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gate } from '@baton/testing';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';

describe('batch writes: appendToStreams, readStreams, markProcessedMany', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_batch')));
  after(async () => f?.dispose());

  const ev = (type: string, n: number) => ({ type, data: { n } });
  const types = async (id: string) => (await f.store.readStream(id)).map((e) => `${e.type}@${e.streamPosition}`);

  it('appends to several streams in one statement, each at its next positions', async () => {
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'b-1', 'no-stream', [ev('A', 1)]));
    await f.store.withTransaction((tx) => f.store.appendToStreams(tx, [
      { streamId: 'b-1', expectedVersion: 1, events: [ev('B', 2), ev('C', 3)] },
      { streamId: 'b-2', expectedVersion: 'no-stream', events: [ev('A', 1)] },
    ]));
    assert.deepEqual(await types('b-1'), ['A@1', 'B@2', 'C@3']);
    assert.deepEqual(await types('b-2'), ['A@1']);
    const all = await f.store.withTransaction((tx) => f.store.readStreams(tx, new Map([['b-1', 2], ['b-2', 1], ['b-none', 1]])));
    assert.deepEqual([...all.entries()].map(([id, es]) => [id, es.map((e) => e.type)]), [['b-1', ['B', 'C']], ['b-2', ['A']], ['b-none', []]]);
  });

  it('writes nothing for any stream when one is not at its expected version', async () => {
    await assert.rejects(
      f.store.withTransaction((tx) => f.store.appendToStreams(tx, [
        { streamId: 'b-3', expectedVersion: 'no-stream', events: [ev('A', 1)] },
        { streamId: 'b-1', expectedVersion: 1, events: [ev('Late', 9)] },
      ])),
      (e: unknown) => e instanceof WrongExpectedVersionError && e.streamId === 'b-1' && e.actual === 3,
    );
    assert.deepEqual(await types('b-3'), [], 'the matching stream was rolled back with the rest');
    assert.deepEqual(await types('b-1'), ['A@1', 'B@2', 'C@3']);
  });

  it('reports a concurrent writer that won the race as a wrong expected version', async () => {
    const hold = gate();
    const written = gate();
    const first = f.store.withTransaction(async (tx) => {
      await f.store.appendToStreams(tx, [{ streamId: 'b-4', expectedVersion: 'no-stream', events: [ev('First', 1)] }]);
      written.open();
      await hold.opened;
    });
    await written.opened;
    const second = f.store.withTransaction((tx) => f.store.appendToStreams(tx, [
      { streamId: 'b-5', expectedVersion: 'no-stream', events: [ev('Other', 1)] },
      { streamId: 'b-4', expectedVersion: 'no-stream', events: [ev('Second', 1)] },
    ]));
    setTimeout(() => hold.open(), 200);
    await first;
    await assert.rejects(second, (e: unknown) => e instanceof WrongExpectedVersionError && e.streamId === 'b-4' && e.actual === 1);
    assert.deepEqual(await types('b-4'), ['First@1']);
    assert.deepEqual(await types('b-5'), []);
  });

  it('refuses a stream given twice or with no events', async () => {
    await assert.rejects(f.store.withTransaction((tx) => f.store.appendToStreams(tx, [
      { streamId: 'x', expectedVersion: 0, events: [ev('A', 1)] }, { streamId: 'x', expectedVersion: 1, events: [ev('B', 2)] },
    ])), /given twice/);
    await assert.rejects(f.store.withTransaction((tx) => f.store.appendToStreams(tx, [{ streamId: 'y', expectedVersion: 0, events: [] }])), /at least one event/);
  });

  it('marks many messages at once, new ones only, and takes marks back', async () => {
    await f.store.withTransaction((tx) => f.store.markProcessed(tx, 'm-1', 'orch'));
    const fresh = await f.store.withTransaction((tx) => f.store.markProcessedMany(tx, ['m-1', 'm-2', 'm-3', 'm-2'], 'orch'));
    assert.deepEqual([...fresh].sort(), ['m-2', 'm-3']);
    await f.store.withTransaction((tx) => f.store.unmarkProcessed(tx, ['m-3'], 'orch'));
    const again = await f.store.withTransaction((tx) => f.store.markProcessedMany(tx, ['m-2', 'm-3'], 'orch'));
    assert.deepEqual([...again], ['m-3']);
  });
});
