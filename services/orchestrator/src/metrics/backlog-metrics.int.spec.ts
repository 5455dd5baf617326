import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createEventStore, migrate, streamTraceContext, type EventStore } from '@baton/event-store';
import { createKafka, ensureTopics, MessageProducer, consumerLag } from '@baton/kafka';
import { migrateProjections, projectionLag } from '@baton/projections';
import { freshDatabase, kafkaBrokers, uniqueName, type FreshDatabase } from '@baton/testing';
import type { Admin } from 'kafkajs';
import { OrchestratorMetrics } from './orchestrator-metrics';

/** The backlog gauges over a real Postgres and a real broker: what each reads, and the scrape text. */
describe('backlog metrics', () => {
  let db: FreshDatabase;
  let store: EventStore;
  let admin: Admin;
  const kafka = createKafka({ clientId: uniqueName('lag'), brokers: kafkaBrokers() });
  const topic = uniqueName('lag-topic');
  const group = uniqueName('lag-group');

  before(async () => {
    db = await freshDatabase('backlog-metrics');
    await migrate(db.url);
    await migrateProjections(db.url);
    store = await createEventStore(db.url);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const producer = new MessageProducer(kafka);
    // Keys chosen so both partitions get messages: murmur2 spreads 20 keys over 2 partitions.
    await producer.send(Array.from({ length: 20 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from(`v${i}`) })));
    await producer.disconnect();
  });

  after(async () => {
    await admin?.disconnect();
    await store?.close();
    await db?.drop();
  });

  it('reports consumer lag per partition: from the low watermark with nothing committed, from the committed offset after', async () => {
    const ends = await admin.fetchTopicOffsets(topic);
    const high = new Map(ends.map((e) => [e.partition, Number(e.high)]));
    assert.equal([...high.values()].reduce((a, b) => a + b, 0), 20);
    const before = await consumerLag(admin, group, [topic]);
    assert.deepEqual(before.map((l) => [l.partition, l.lag]).sort(), [...high].sort());
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: String(high.get(1)) }] });
    const afterCommit = await consumerLag(admin, group, [topic]);
    assert.deepEqual(afterCommit.map((l) => [l.group, l.topic, l.partition, l.lag]).sort(), [[group, topic, 0, high.get(0)! - 1], [group, topic, 1, 0]]);
  });

  it('reports the age of the oldest unsent outbox row and of the oldest due timer, and 0 when there is none', async () => {
    assert.equal(await store.outboxOldestUnsentSeconds(), 0);
    assert.equal(await store.oldestDueSeconds(Date.now()), 0);
    const [id] = await store.withTransaction((tx) => store.enqueue(tx, [{ topic: 't', key: 'case-1', value: Buffer.from('x'), headers: {} }]));
    await store.pool.query(`UPDATE outbox SET created_at = now() - interval '42 seconds' WHERE id = $1`, [id]);
    await store.withTransaction((tx) => store.schedule(tx, [
      { timerId: 'late', streamId: 'case-1', kind: 'retry', dueAt: Date.now() - 30_000, payload: null },
      { timerId: 'future', streamId: 'case-1', kind: 'retry', dueAt: Date.now() + 600_000, payload: null },
    ]));
    const outboxAge = await store.outboxOldestUnsentSeconds();
    assert.ok(outboxAge >= 42 && outboxAge < 120, `outbox age ${outboxAge}`);
    const timerAge = await store.oldestDueSeconds(Date.now());
    assert.ok(timerAge >= 30 && timerAge < 120, `timer age ${timerAge}`);
    await store.markSent([id!]);
    assert.equal(await store.outboxOldestUnsentSeconds(), 0);
  });

  it('reports the projection lag: every event without a checkpoint, none once the checkpoint reaches the last', async () => {
    await store.withTransaction((tx) => store.appendToStream(tx, 'case-lag', 'no-stream', [
      { type: 'A', data: {}, metadata: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }, { type: 'B', data: {} }, { type: 'C', data: {} },
    ]));
    const lag = await projectionLag(store.pool);
    assert.equal(lag.events, 3);
    assert.ok(lag.seconds >= 0);
    const page = await store.readAll({ after: null, limit: 100 });
    await store.storeCheckpoint(null, 'projections', page.checkpoint!);
    assert.deepEqual(await projectionLag(store.pool), { events: 0, seconds: 0 });
    // The stream's trace context, as the timer loop reads it: the latest event that recorded one.
    assert.deepEqual(await streamTraceContext(store.pool, 'case-lag'), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    assert.deepEqual(await streamTraceContext(store.pool, 'case-none'), {});
  });

  it('exposes every backlog gauge on /metrics, and reports NaN for one whose source fails instead of failing the scrape', async () => {
    const registry = new Registry();
    new OrchestratorMetrics(registry, {
      stalls: () => [], outboxBacklog: () => store.outboxBacklog(), timersDue: () => store.dueCount(Date.now()), openTasksByQueue: async () => ({}),
      consumerLag: () => consumerLag(admin, group, [topic]),
      outboxOldestUnsentSeconds: () => store.outboxOldestUnsentSeconds(),
      timersOldestDueSeconds: () => store.oldestDueSeconds(Date.now()),
      projectionLag: async () => { throw new Error('the database is down'); },
    });
    const text = await registry.metrics();
    assert.match(text, new RegExp(`baton_consumer_lag\\{group="${group}",topic="${topic}",partition="1"\\} 0`));
    assert.match(text, /^baton_outbox_oldest_unsent_seconds 0$/m);
    assert.match(text, /^baton_timers_oldest_due_seconds [3-9]\d(\.\d+)?$/m);
    assert.match(text, /^baton_projection_lag_events nan$/im);
  });
});
