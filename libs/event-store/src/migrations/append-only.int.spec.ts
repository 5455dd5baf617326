import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import { storeFixture, type StoreFixture } from '../testing/store-fixture';
import { createEventStore } from '../create-event-store';
import { serviceUrl, SERVICE_ROLE } from '../role/service-role';
import type { EventStore } from '../event-store';

describe('the append-only event log', () => {
  let f: StoreFixture;
  let service: EventStore;
  let serviceClient: Client;
  let owner: Client;
  before(async () => {
    f = await storeFixture('es_appendonly');
    service = await createEventStore(serviceUrl(f.db.url), { poolSize: 2 });
    serviceClient = await f.connect(serviceUrl(f.db.url));
    owner = await f.connect();
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-log', 0, [{ type: 'Kept', data: { v: 1 } }]));
  });
  after(async () => {
    await service?.close();
    await f?.dispose();
  });

  it('derives the service role URL from the admin URL', () => {
    assert.equal(serviceUrl('postgres://baton:secret@127.0.0.1:5433/t_x?sslmode=disable'), `postgres://${SERVICE_ROLE}:baton@127.0.0.1:5433/t_x?sslmode=disable`);
    assert.equal(serviceUrl('postgres://baton@h/db', 'p@ss:word'), `postgres://${SERVICE_ROLE}:p%40ss%3Aword@h/db`);
  });

  it('lets the service role append, read, and use the inbox, outbox, timers and checkpoints', async () => {
    const { rows } = await serviceClient.query<{ current_user: string }>('SELECT current_user');
    assert.equal(rows[0].current_user, SERVICE_ROLE);
    await service.withTransaction(async (tx) => {
      assert.equal(await service.markProcessed(tx, 'm-1', 'orchestrator'), true);
      await service.appendToStream(tx, 'case-svc', 'no-stream', [{ type: 'ByService', data: {} }]);
      await service.enqueue(tx, [{ topic: 't', key: 'case-svc', value: Buffer.from([1]), headers: {} }]);
      await service.schedule(tx, [{ timerId: 'svc-timer', streamId: 'case-svc', kind: 'k', dueAt: 0, payload: null }]);
      await service.storeCheckpoint(tx, 'svc', { transactionId: '5', globalPosition: 1 });
    });
    assert.deepEqual((await service.readStream('case-svc')).map((e) => e.type), ['ByService']);
    const [claimed] = await service.claimUnsent(10);
    assert.equal(await service.markSent([claimed.id]), 1);
    assert.equal((await service.withTransaction((tx) => service.claimDue(tx, Date.now(), 10))).length, 1);
  });

  for (const [what, sql] of [
    ['UPDATE', `UPDATE events SET data = '{"v": 2}' WHERE stream_id = 'case-log'`],
    ['DELETE', `DELETE FROM events WHERE stream_id = 'case-log'`],
    ['TRUNCATE', 'TRUNCATE events'],
  ] as const) {
    it(`denies the service role ${what} on events`, async () => {
      await assert.rejects(serviceClient.query(sql), (error: { code?: string; message: string }) => {
        assert.equal(error.code, '42501'); // insufficient_privilege
        assert.match(error.message, /permission denied for table events/);
        return true;
      });
    });

    it(`stops even the owner's ${what} on events with the append-only trigger`, async () => {
      await assert.rejects(owner.query(sql), (error: { code?: string; message: string }) => {
        assert.equal(error.code, '23001'); // restrict_violation
        assert.equal(error.message, `events is append-only: ${what} is not allowed`);
        return true;
      });
    });
  }

  it('still holds the original event after every refused change', async () => {
    assert.deepEqual((await f.store.readStream('case-log')).map((e) => e.data), [{ v: 1 }]);
  });

  for (const [column, value, code] of [
    ['global_position', '1', '428C9'], // generated_always: identity, refused for everyone
    ['transaction_id', "'3'::xid8", '42501'], // insufficient_privilege: no INSERT grant on the column
    ['recorded_at', "'2000-01-01'", '42501'],
  ] as const) {
    it(`does not let the service role set ${column} by hand`, async () => {
      await assert.rejects(
        serviceClient.query(
          `INSERT INTO events (${column}, stream_id, stream_position, event_id, event_type, data)
           VALUES (${value}, 'case-forged', 1, gen_random_uuid(), 'Forged', '{}')`,
        ),
        (error: { code?: string }) => error.code === code,
      );
    });
  }
});
