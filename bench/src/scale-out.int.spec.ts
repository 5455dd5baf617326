import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { createEventStore, migrate, type EventStore } from '@baton/event-store';
import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { readDoubleHandling } from './scale-out';

describe('the scale-out check on a real event store', () => {
  let db: FreshDatabase;
  let store: EventStore;
  let pool: Pool;

  before(async () => {
    db = await freshDatabase('scaleout');
    await migrate(db.url);
    store = await createEventStore(db.url, { poolSize: 2 });
    pool = new Pool({ connectionString: db.url, max: 1 });
  });

  after(async () => {
    await pool.end();
    await store.close();
    await db.drop();
  });

  /** Appends one transaction of `n` events to `caseId`, written by `writer`. */
  const write = (caseId: string, writer: string, n: number) => store.withTransaction(async (tx) => {
    const version = await store.streamVersion(tx, caseId);
    await store.appendToStream(tx, caseId, version === 0 ? 'no-stream' : version,
      Array.from({ length: n }, () => ({ type: 'Noted', data: {}, metadata: { writer } })));
  });

  it('finds the case two instances wrote in turns, and passes the one handed over once', async () => {
    await write('case-sound', 'orchestrator-1', 2);
    await write('case-sound', 'orchestrator-2', 3);
    await write('case-double', 'orchestrator-1', 2);
    await write('case-double', 'orchestrator-2', 1);
    await write('case-double', 'orchestrator-1', 1);
    const check = await readDoubleHandling(pool, ['case-sound', 'case-double']);
    assert.equal(check.cases, 2);
    assert.equal(check.events, 9);
    assert.deepEqual(check.interleaved, [{ caseId: 'case-double', writers: ['orchestrator-1', 'orchestrator-2', 'orchestrator-1'] }]);
    assert.equal(check.handedOver, 1);
    assert.deepEqual(check.eventsByWriter, { 'orchestrator-1': 5, 'orchestrator-2': 4 });
  });
});
