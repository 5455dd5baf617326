import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStore, serviceUrl, type EventStore } from '@baton/event-store';
import { DeadLetterHeaders, ensureTopics, headersToRecord } from '@baton/kafka';
import { retryWithBackoff } from '@baton/observability';
import { collect, uniqueName } from '@baton/testing';
import { createWorld, type World } from '../testing/harness';
import { OutboxRelay } from './outbox-relay';

// A row under MAX_MESSAGE_BYTES can still be more than a topic takes: a topic's own
// `max.message.bytes` may be lower than the broker's. The broker then refuses it on every send
// (MESSAGE_TOO_LARGE); the relay must not retry it for ever and hold back its key.
describe('the outbox relay and a row a topic refuses as too large (real Kafka)', () => {
  let world: World;
  let store: EventStore;
  let relay: OutboxRelay;
  const oversized: number[] = [];
  const topic = uniqueName('small-topic');

  before(async () => {
    world = await createWorld('relay-refused');
    store = await createEventStore(serviceUrl(world.db.url), { poolSize: 2 });
    // New topics' leaders and metadata can take longer than kafkajs waits on a loaded machine: try again (existing topics are kept).
    await retryWithBackoff(() => ensureTopics(world.kafka, [{ topic, partitions: 1, config: { 'max.message.bytes': '100000' } }, { topic: `${topic}.dlt`, partitions: 1 }]), { maxAttempts: 5 });
    relay = new OutboxRelay(store, world.producer, { pollMs: 50, onOversized: (row) => oversized.push(row.id) });
  });

  after(async () => {
    await relay?.stop();
    await store?.close();
    await world?.close();
  });

  it('diverts the refused row to the dead-letter topic and publishes the later rows of its key', async () => {
    const [bigId] = await store.withTransaction((tx) => store.enqueue(tx, [
      { topic, key: 'case-refused', value: Buffer.alloc(200_000, 2), headers: { 'baton-message-id': 'refused' } },
      { topic, key: 'case-refused', value: Buffer.from('next'), headers: { 'baton-message-id': 'next' } },
    ]));
    relay.start();
    const [published] = await retryWithBackoff(() => collect(world.kafka, topic, 1, 30_000), { maxAttempts: 5 });
    assert.equal(published!.message.value?.toString(), 'next', 'the later row of the key is not held back');
    const [dead] = await retryWithBackoff(() => collect(world.kafka, `${topic}.dlt`, 1, 30_000), { maxAttempts: 5 });
    assert.equal(dead!.message.value, null, 'the value stays in the outbox table');
    const h = headersToRecord(dead!.message.headers);
    assert.equal(h[DeadLetterHeaders.errorName], 'MessageTooLarge');
    assert.equal(h['baton-dlt-outbox-id'], String(bigId));
    assert.match(h[DeadLetterHeaders.errorMessage] ?? '', /refused/);
    assert.deepEqual(oversized, [bigId]);
    assert.equal(await store.outboxBacklog(), 0);
  });
});
