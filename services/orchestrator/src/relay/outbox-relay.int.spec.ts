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
});
