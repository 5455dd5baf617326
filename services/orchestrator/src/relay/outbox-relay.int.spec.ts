import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStore, serviceUrl, type EventStore } from '@baton/event-store';
import { DeadLetterHeaders, headersToRecord } from '@baton/kafka';
import { collect } from '@baton/testing';
import { createWorld, type World } from '../testing/harness';
import { OutboxRelay } from './outbox-relay';

describe('the outbox relay against real Kafka and Postgres', () => {
  let world: World;
  let store: EventStore;
  let relay: OutboxRelay;
  const oversized: number[] = [];

  before(async () => {
    world = await createWorld('relay');
    store = await createEventStore(serviceUrl(world.db.url), { poolSize: 2 });
    relay = new OutboxRelay(store, world.producer, { pollMs: 50, onOversized: (row) => oversized.push(row.id) });
  });

  after(async () => {
    await relay?.stop();
    await store?.close();
    await world?.close();
  });

  it('diverts a row larger than the broker accepts to the dead-letter topic and publishes its key\'s later rows', async () => {
    const topic = world.topics.caseEvents;
    const [bigId] = await store.withTransaction((tx) => store.enqueue(tx, [
      { topic, key: 'case-big', value: Buffer.alloc(1_200_000, 1), headers: { 'baton-message-id': 'big' } },
      { topic, key: 'case-big', value: Buffer.from('after'), headers: { 'baton-message-id': 'after' } },
    ]));
    relay.start();
    const [published] = await collect(world.kafka, topic, 1);
    assert.equal(published!.message.value?.toString(), 'after', 'the later row of the key is not held back');
    const [dead] = await collect(world.kafka, `${topic}.dlt`, 1);
    assert.equal(dead!.message.value, null, 'the value stays in the outbox table');
    assert.equal(dead!.message.key?.toString(), 'case-big');
    const h = headersToRecord(dead!.message.headers);
    assert.equal(h[DeadLetterHeaders.errorName], 'MessageTooLarge');
    assert.equal(h['baton-dlt-outbox-id'], String(bigId));
    assert.equal(h['baton-message-id'], 'big');
    assert.match(h[DeadLetterHeaders.errorMessage] ?? '', /is 1200\d+ bytes, above the 1000000 bytes/);
    assert.deepEqual(oversized, [bigId]);
    assert.equal(await store.outboxBacklog(), 0);
  });

  it('keeps each key\'s order with pipelined relays claiming small batches while writers commit concurrently', async () => {
    const topic = world.topics.signals;
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    const relays = [1, 2].map(() => new OutboxRelay(store, world.producer, { pollMs: 20, batchSize: 7, pipeline: true }));
    for (const r of relays) r.start();
    const writer = async (w: number) => {
      for (let t = 0; t < 25; t++) {
        await store.withTransaction((tx) => store.enqueue(tx, keys.map((key, i) => ({
          topic, key, value: Buffer.from(`${w}:${t}:${i}`), headers: { 'baton-message-id': `${w}:${t}:${i}` },
        }))));
        relays[t % 2]!.wake();
      }
    };
    try {
      const collecting = collect(world.kafka, topic, 4 * 25 * keys.length, 60000);
      await Promise.all([0, 1, 2, 3].map(writer));
      const published = await collecting;
      const { rows } = await store.pool.query<{ id: string; value: Buffer }>('SELECT id, value FROM outbox WHERE topic = $1', [topic]);
      const idOf = new Map(rows.map((r) => [r.value.toString(), Number(r.id)]));
      assert.equal(idOf.size, 4 * 25 * keys.length);
      for (const key of keys) {
        const ids = published.filter((m) => m.message.key?.toString() === key).map((m) => idOf.get(m.message.value!.toString())!);
        assert.equal(new Set(ids).size, 4 * 25, `every row of ${key} published once`);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `${key}'s rows published in outbox order`);
      }
    } finally {
      for (const r of relays) await r.stop();
    }
  });
});
