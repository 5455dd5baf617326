import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStore, serviceUrl, type EventStore, type OutboxMessage } from '@baton/event-store';
import { collect, sleep } from '@baton/testing';
import { CaseWrites } from '../handling/case-writes';
import { createWorld, type World } from '../testing/harness';
import { HAND_OFF_LEASE_MS, type HandOff } from './hand-off';
import { OutboxRelay } from './outbox-relay';

/** Writes `messages` in one transaction as the case handler does (leased where the key allows); returns the hand-off. */
async function write(store: EventStore, messages: OutboxMessage[], leaseMs = HAND_OFF_LEASE_MS): Promise<HandOff> {
  const writes = new CaseWrites();
  writes.add('any', { expectedVersion: 0, events: [], outbox: messages, cancel: [], schedule: [] });
  return (await store.withTransaction((tx) => writes.flush(store, tx, undefined, leaseMs)))!;
}

const msg = (topic: string, key: string, text: string): OutboxMessage => ({ topic, key, value: Buffer.from(text), headers: { 'baton-message-id': text } });

/** Outbox id of every row of `topic`, by value. */
async function idsByValue(store: EventStore, topic: string): Promise<Map<string, number>> {
  const { rows } = await store.pool.query<{ id: string; value: Buffer }>('SELECT id, value FROM outbox WHERE topic = $1', [topic]);
  return new Map(rows.map((r) => [r.value.toString(), Number(r.id)]));
}

describe('the direct hand-off from the case handler to the relay, against real Kafka and Postgres', () => {
  let world: World;
  let store: EventStore;

  before(async () => {
    world = await createWorld('handoff');
    store = await createEventStore(serviceUrl(world.db.url), { poolSize: 6 });
  });

  after(async () => {
    await store?.close();
    await world?.close();
  });

  it('publishes a committed row from memory and marks it sent, with no claim taking it', async () => {
    const topic = world.topics.caseEvents;
    const relay = new OutboxRelay(store, world.producer, { pollMs: 60_000 });
    relay.start();
    try {
      const handOff = await write(store, [msg(topic, 'case-a', 'a1'), msg(topic, 'case-a', 'a2')]);
      assert.equal(handOff.rows.length, 2);
      assert.equal(handOff.waiting, false);
      assert.deepEqual(await store.claimUnsent(10), [], 'a leased row is no claim\'s to take');
      relay.committed(handOff);
      const got = await collect(world.kafka, topic, 2);
      assert.deepEqual(got.map((m) => m.message.value?.toString()), ['a1', 'a2']);
      assert.equal(relay.handedOff, 2);
      const { rows } = await store.pool.query('SELECT id FROM outbox WHERE topic = $1 AND sent_at IS NOT NULL', [topic]);
      assert.equal(rows.length, 2);
    } finally {
      await relay.stop();
    }
  });

  it('leaves a key with rows of a previous owner to the claim, which publishes them in order, and hands off the other keys at once', async () => {
    const topic = world.topics.signals;
    // The previous owner of case-k's partition: one row it never claimed, then rows it leased for a hand-off and died.
    await store.withTransaction((tx) => store.enqueue(tx, [msg(topic, 'case-k', 'k1')]));
    const dead = await write(store, [msg(topic, 'case-k', 'k2')], 400);
    assert.equal(dead.rows.length, 0, 'behind k1, so not leased');
    await store.pool.query("UPDATE outbox SET claimed_until = clock_timestamp() + interval '400 milliseconds' WHERE value = 'k2'::bytea");
    const relay = new OutboxRelay(store, world.producer, { pollMs: 50 });
    try {
      const handOff = await write(store, [msg(topic, 'case-k', 'k3'), msg(topic, 'case-j', 'j1')]);
      assert.deepEqual(handOff.rows.map((r) => r.value.toString()), ['j1'], 'only the key with nothing unsent is leased');
      assert.equal(handOff.waiting, true);
      relay.committed(handOff);
      const [first] = await collect(world.kafka, topic, 1);
      assert.equal(first!.message.value?.toString(), 'j1', 'handed off before the claim ran');
      relay.start();
      const got = await collect(world.kafka, topic, 4, 30_000);
      assert.deepEqual(got.filter((m) => m.message.key?.toString() === 'case-k').map((m) => m.message.value?.toString()), ['k1', 'k2', 'k3']);
      assert.equal(await store.outboxBacklog(), 0);
    } finally {
      await relay.stop();
    }
  });

  it('keeps every key\'s order, each row once, while its transactions are handed to three relays in turn and some hand-offs are lost', async () => {
    const topic = world.topics.triggers;
    const writers = 4;
    const rounds = 30;
    // Each writer's own cases, and one case every writer writes (its rows are mostly behind another's).
    const keysOf = (w: number) => [`w${w}-a`, `w${w}-b`, `w${w}-c`, 'shared'];
    const relays = [0, 1, 2].map(() => new OutboxRelay(store, world.producer, { pollMs: 30, batchSize: 7 }));
    for (const r of relays) r.start();
    let lost = 0;
    const writer = async (w: number) => {
      for (let t = 0; t < rounds; t++) {
        const crash = (w * rounds + t) % 7 === 3;
        // Before a crash, let this writer's own cases drain, so its rows are leased (the shared case's rarely are).
        while (crash && (await store.pool.query("SELECT 1 FROM outbox WHERE sent_at IS NULL AND message_key LIKE $1 LIMIT 1", [`w${w}-%`])).rows.length > 0) await sleep(10);
        const handOff = await write(store, keysOf(w).map((key, i) => msg(topic, key, `${w}:${t}:${i}`)), crash ? 300 : HAND_OFF_LEASE_MS);
        // A crash between COMMIT and the send: the leased rows wait out their lease, then a claim takes them.
        if (crash) lost += handOff.rows.length;
        else relays[(w + t) % relays.length]!.committed(handOff);
        if (t % 3 !== 0) await sleep(15); // a step's round trip, mostly
      }
    };
    try {
      const count = writers * rounds * keysOf(0).length;
      const collecting = collect(world.kafka, topic, count, 90_000);
      await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
      const published = await collecting;
      const idOf = await idsByValue(store, topic);
      assert.equal(idOf.size, count);
      for (const key of new Set(Array.from({ length: writers }, (_, w) => keysOf(w)).flat())) {
        const ids = published.filter((m) => m.message.key?.toString() === key).map((m) => idOf.get(m.message.value!.toString())!);
        const expected = key === 'shared' ? writers * rounds : rounds;
        assert.equal(new Set(ids).size, expected, `every row of ${key} published`);
        assert.equal(ids.length, expected, `no row of ${key} published twice`);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `${key}'s rows published in outbox order`);
      }
      assert.ok(relays.reduce((n, r) => n + r.handedOff, 0) > 0, 'some rows went by the hand-off');
      assert.ok(lost > 0, 'some hand-offs were lost');
      assert.equal(await store.outboxBacklog(), 0);
    } finally {
      for (const r of relays) await r.stop();
    }
  });
});
