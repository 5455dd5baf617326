import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { gate, sleep } from '@baton/testing';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { TransactionAbortedError } from '../errors/transaction-aborted.error';

describe('appending to and reading a stream', () => {
  let f: StoreFixture;
  before(async () => (f = await storeFixture('es_append')));
  after(async () => f?.dispose());

  it('reads back appended events with their positions, ids, metadata and fingerprint', async () => {
    const eventId = randomUUID();
    const result = await f.store.withTransaction((tx) =>
      f.store.appendToStream(tx, 'case-rt', 'no-stream', [
        { eventId, type: 'CaseStarted', data: { input: { raw: 'hi' } }, metadata: { correlationId: 'c-1', causationId: 'm-1', traceparent: 'tp' }, schemaFingerprint: 'c301deadbeef0001' },
        { type: 'StepScheduled', data: { step: 'parse', attempt: 1 } },
      ]),
    );
    assert.equal(result.nextExpectedVersion, 2);
    assert.equal(result.globalPositions.length, 2);
    assert.ok(result.globalPositions[0] < result.globalPositions[1]);

    const events = await f.store.readStream('case-rt');
    assert.equal(events.length, 2);
    const [first, second] = events;
    assert.equal(first.eventId, eventId);
    assert.equal(first.streamId, 'case-rt');
    assert.equal(first.streamPosition, 1);
    assert.equal(second.streamPosition, 2);
    assert.deepEqual(events.map((e) => e.globalPosition), result.globalPositions);
    assert.equal(first.type, 'CaseStarted');
    assert.deepEqual(first.data, { input: { raw: 'hi' } });
    assert.deepEqual(first.metadata, { correlationId: 'c-1', causationId: 'm-1', traceparent: 'tp' });
    assert.equal(first.schemaFingerprint, 'c301deadbeef0001');
    assert.equal(second.schemaFingerprint, null);
    assert.deepEqual(second.metadata, {});
    assert.match(second.eventId, /^[0-9a-f-]{36}$/);
    assert.ok(first.recordedAt instanceof Date);
    assert.match(first.transactionId, /^\d+$/);
    assert.equal(first.transactionId, second.transactionId, 'one transaction, one xid');

    assert.deepEqual((await f.store.readStream('case-rt', { fromPosition: 2 })).map((e) => e.type), ['StepScheduled']);
    assert.deepEqual((await f.store.readStream('case-rt', { limit: 1 })).map((e) => e.type), ['CaseStarted']);
    assert.equal(await f.store.streamVersion(null, 'case-rt'), 2);
  });

  it('reads an unknown stream as empty, at version 0', async () => {
    assert.deepEqual(await f.store.readStream('case-none'), []);
    assert.equal(await f.store.streamVersion(null, 'case-none'), 0);
  });

  it('sees its own uncommitted appends inside the transaction and nothing outside it until commit', async () => {
    await f.store.withTransaction(async (tx) => {
      await f.store.appendToStream(tx, 'case-own', 0, [{ type: 'A', data: {} }]);
      assert.equal(await f.store.streamVersion(tx, 'case-own'), 1);
      assert.equal((await f.store.readStream('case-own', { tx })).length, 1);
      assert.equal((await f.store.readStream('case-own')).length, 0);
    });
    assert.equal((await f.store.readStream('case-own')).length, 1);
  });

  it('continues a stream at the expected version and accepts any version with "any"', async () => {
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-next', 'no-stream', [{ type: 'A', data: {} }]));
    const r = await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-next', 1, [{ type: 'B', data: {} }, { type: 'C', data: {} }]));
    assert.equal(r.nextExpectedVersion, 3);
    const any = await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-next', 'any', [{ type: 'D', data: {} }]));
    assert.equal(any.nextExpectedVersion, 4);
    assert.deepEqual((await f.store.readStream('case-next')).map((e) => `${e.streamPosition}:${e.type}`), ['1:A', '2:B', '3:C', '4:D']);
  });

  it('refuses a wrong expected version with WrongExpectedVersionError naming the stream and both versions', async () => {
    await f.store.withTransaction((tx) =>
      f.store.appendToStream(tx, 'case-123', 'no-stream', Array.from({ length: 6 }, (_, i) => ({ type: 'E', data: { i } }))),
    );
    await assert.rejects(
      f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-123', 4, [{ type: 'Late', data: {} }])),
      (error: unknown) => {
        assert.ok(error instanceof WrongExpectedVersionError);
        assert.equal(error.streamId, 'case-123');
        assert.equal(error.expected, 4);
        assert.equal(error.actual, 6);
        assert.equal(error.message, 'Wrong expected version: 4 (stream: case-123, stream version: 6)');
        return true;
      },
    );
    assert.equal(await f.store.streamVersion(null, 'case-123'), 6);
  });

  it('refuses "no-stream" on a stream that has events', async () => {
    await assert.rejects(
      f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-123', 'no-stream', [{ type: 'Again', data: {} }])),
      (error: unknown) => {
        assert.ok(error instanceof WrongExpectedVersionError);
        assert.equal(error.expected, 'no-stream');
        assert.equal(error.actual, 6);
        assert.equal(error.message, 'Wrong expected version: no-stream (stream: case-123, stream version: 6)');
        return true;
      },
    );
  });

  it('lets exactly one of several concurrent appends at the same expected version win', async () => {
    const contenders = 6;
    const results = await Promise.allSettled(
      Array.from({ length: contenders }, (_, i) =>
        f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-race', 'no-stream', [{ type: 'Won', data: { i } }, { type: 'Then', data: { i } }])),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, contenders - 1);
    for (const r of lost) {
      assert.ok(r.reason instanceof WrongExpectedVersionError, String(r.reason));
      assert.equal(r.reason.actual, 2);
    }
    const events = await f.store.readStream('case-race');
    assert.equal(events.length, 2);
    assert.equal((events[0].data as { i: number }).i, (events[1].data as { i: number }).i, 'both events come from the one winner');
  });

  it('makes the loser of an append race wait for the winner, then fail with the winner\'s version and a rolled-back transaction', async () => {
    const holdWinner = gate();
    const winnerAppended = gate();
    const winner = f.store.withTransaction(async (tx) => {
      await f.store.appendToStream(tx, 'case-duel', 0, [{ type: 'W1', data: {} }, { type: 'W2', data: {} }, { type: 'W3', data: {} }]);
      winnerAppended.open();
      await holdWinner.opened;
    });
    await winnerAppended.opened;
    let loserTxState = '';
    const loser = f.store.withTransaction(async (tx) => {
      try {
        // Its snapshot cannot see the winner's rows: it passes the version check and blocks on the unique index.
        return await f.store.appendToStream(tx, 'case-duel', 0, [{ type: 'L1', data: {} }]);
      } finally {
        loserTxState = tx.state;
      }
    });
    await sleep(150);
    holdWinner.open();
    await winner;
    await assert.rejects(loser, (error: unknown) => {
      assert.ok(error instanceof WrongExpectedVersionError);
      assert.equal(error.expected, 0);
      assert.equal(error.actual, 3);
      return true;
    });
    assert.equal(loserTxState, 'rolled-back');
    assert.deepEqual((await f.store.readStream('case-duel')).map((e) => e.type), ['W1', 'W2', 'W3']);
    // The pooled connection is healthy afterwards.
    const next = await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-duel', 3, [{ type: 'L1', data: {} }]));
    assert.equal(next.nextExpectedVersion, 4);
  });

  it('refuses a transaction that swallowed a failed statement instead of pretending it committed', async () => {
    const eventId = randomUUID();
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-dup-a', 0, [{ eventId, type: 'A', data: {} }]));
    await assert.rejects(
      f.store.withTransaction(async (tx) => {
        await f.store.appendToStream(tx, 'case-dup-b', 0, [{ type: 'B', data: {} }]);
        await f.store.appendToStream(tx, 'case-dup-c', 0, [{ eventId, type: 'C', data: {} }]).catch(() => undefined);
      }),
      TransactionAbortedError,
    );
    assert.deepEqual(await f.store.readStream('case-dup-b'), []);
  });

  it('rejects invalid arguments before touching the database', async () => {
    await f.store.withTransaction(async (tx) => {
      await assert.rejects(f.store.appendToStream(tx, '', 0, [{ type: 'A', data: {} }]), TypeError);
      await assert.rejects(f.store.appendToStream(tx, 'case-x', -1, [{ type: 'A', data: {} }]), RangeError);
      await assert.rejects(f.store.appendToStream(tx, 'case-x', 0, [{ type: 'A', data: undefined }]), TypeError);
    });
  });
});
