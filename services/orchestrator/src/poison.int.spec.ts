import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { caseIdFor, ContractNames } from '@baton/contracts';
import { DeadLetterHeaders, headersToRecord, type OutgoingMessage } from '@baton/kafka';
import { percentile } from '@baton/observability';
import { collect, gate, sleep } from '@baton/testing';
import { TestStepWorker, type SeenRequest } from '@baton/step-testing';
import { defineWorkflow } from '@baton/workflow-engine';
import type { Orchestrator } from './orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from './testing/harness';
import { triggerMessage } from './testing/trigger';

const inboxInput = 'baton.examples.InboxMessage';
const noopInput = 'baton.steps.noop.Input';

/** Three steps in a row, the case input an email (text that could carry a NUL). */
const mail = defineWorkflow({
  name: 'mail', version: 1, input: inboxInput,
  steps: { a: { type: 'noop', input: "{ 'n': 1 }" }, b: { type: 'noop', needs: ['a'], input: "{ 'n': 2 }" }, c: { type: 'noop', needs: ['b'], input: "{ 'n': 3 }" } },
});
/** One step the worker holds until the test says so. */
const held = defineWorkflow({ name: 'held', version: 1, steps: { wait: { type: 'noop' } } });

const email = (raw = 'Subject: hi\r\n\r\nhello') => ({ messageId: randomUUID(), raw, receivedAt: Date.now(), mailbox: null });

describe('bad messages against real Kafka and Postgres: dead-lettered, never stalling a partition or other cases', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let worker: TestStepWorker;
  const hold = gate();

  before(async () => {
    world = await createWorld('poison', ['noop']);
    world.config.stallReadyMs = 1000;
    orchestrator = await startOrchestrator(world);
    for (const w of [mail, held]) await orchestrator.registerWorkflow(w);
    worker = new TestStepWorker(world.kafka, world.catalog, world.topics, ['noop'], (r: SeenRequest) => {
      if (r.stepId === 'wait') return hold.opened.then(() => ({ output: { ok: true } }));
      return { output: { ok: true } };
    });
    await worker.start();
  });

  after(async () => {
    hold.open();
    await worker?.stop();
    await orchestrator?.stop();
    await world?.close();
  });

  const trigger = (o: { workflow: string; input: unknown; inputName?: string; key?: string; triggerId?: string }) =>
    triggerMessage(world.catalog, world.topics.triggers, { inputName: o.inputName ?? inboxInput, ...o });
  const caseOf = (m: OutgoingMessage) => {
    const t = world.catalog.decode(m.value).value as { workflow: string; key: string | null; triggerId: string };
    return caseIdFor({ workflow: t.workflow, key: t.key, triggerId: t.triggerId });
  };
  const completedAt = async (caseId: string): Promise<number | undefined> => {
    const es = await orchestrator.store.readStream(caseId);
    return es.find((e) => e.type === 'CaseCompleted')?.recordedAt.getTime();
  };
  const deadLetters = async (topic: string, count: number) =>
    (await collect(world.kafka, `${topic}.dlt`, count)).map((d): Record<string, string | undefined> => headersToRecord(d.message.headers));

  it('dead-letters at once triggers with a NUL in the workflow, the key or the input, naming the field', async () => {
    const bad = [
      trigger({ workflow: 'mail\u0000x', input: email() }),
      trigger({ workflow: 'mail', key: 'a\u0000b', input: email() }),
      trigger({ workflow: 'mail', input: email('Subject: x\r\n\r\nnul \u0000 here') }),
    ];
    const good = trigger({ workflow: 'mail', input: email() });
    await world.producer.send([...bad, good]);
    await waitFor(() => completedAt(caseOf(good)), 'the good case', 20000);
    const dead = await deadLetters(world.topics.triggers, 3);
    assert.deepEqual(dead.map((h) => h[DeadLetterHeaders.errorName]), ['InvalidText', 'InvalidText', 'InvalidText']);
    const fields = dead.map((h) => /field '([^']+)'/.exec(h[DeadLetterHeaders.errorMessage] ?? '')?.[1]).sort();
    assert.deepEqual(fields, ['input.raw', 'key', 'workflow']);
    for (const m of bad) assert.equal((await orchestrator.store.readStream(caseOf(m))).length, 0, 'no case was started');
  });

  it('dead-letters a trigger whose input is too large for its case event, and a record the topic does not carry', async () => {
    const huge = trigger({ workflow: 'mail', input: email('x'.repeat(600 * 1024)) });
    const wrongTopic = { ...trigger({ workflow: 'mail', input: email() }), topic: world.topics.signals };
    await world.producer.send([huge, wrongTopic]);
    const [tooLarge] = await deadLetters(world.topics.triggers, 4).then((d) => d.filter((h) => h[DeadLetterHeaders.errorName] === 'CaseInputTooLarge'));
    assert.match(tooLarge?.[DeadLetterHeaders.errorMessage] ?? '', /field 'input' is \d+ bytes as JSON, above the limit of 524288 bytes/);
    const [unexpected] = await deadLetters(world.topics.signals, 1);
    assert.equal(unexpected?.[DeadLetterHeaders.errorName], 'UnexpectedRecord');
    assert.match(unexpected?.[DeadLetterHeaders.errorMessage] ?? '', /does not carry baton\.v1\.TriggerCase records/);
    await sleep(500);
    assert.equal((await orchestrator.store.readStream(caseOf(wrongTopic))).length, 0, 'a trigger on the signals topic starts no case');
    const rows = await orchestrator.store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE octet_length(value) > 1000000');
    assert.equal(rows.rows[0]!.n, 0, 'no outbox row is larger than the broker accepts');
  });

  it('counts and logs a late step result for a finished case', async () => {
    const m = trigger({ workflow: 'mail', input: email() });
    await world.producer.send([m]);
    const caseId = caseOf(m);
    await waitFor(() => completedAt(caseId), 'the case to complete', 20000);
    const late = world.catalog.encode(ContractNames.StepCompleted, {
      resultId: randomUUID(), caseId, stepId: 'a', stepType: 'noop', attempt: 1, startedAt: Date.now(), finishedAt: Date.now(), worker: 'late',
      output: world.catalog.encode('baton.steps.noop.Output', { ok: true }), metering: null,
    });
    await world.producer.send([{ topic: world.topics.stepResults, key: caseId, value: late }]);
    await waitFor(async () => {
      const text = await orchestrator.metricsRegistry.getSingleMetricAsString('baton_results_ignored_total');
      return /baton_results_ignored_total\{reason="case-ended",service="orchestrator"\} 1/.test(text) ? true : undefined;
    }, 'the ignored result to be counted', 10000);
  });

  it('records the results of a running case promptly while a trigger is stuck, and reports the stalled partition', async () => {
    const running = triggerMessage(world.catalog, world.topics.triggers, { workflow: 'held', inputName: noopInput, input: { n: 1 } });
    await world.producer.send([running]);
    const runningCase = caseOf(running);
    await waitFor(async () => (worker.seen.some((s) => s.caseId === runningCase) ? true : undefined), 'the held step to be requested');
    // A trigger whose handling blocks: its inbox row is held by an open transaction of ours.
    const stuck = trigger({ workflow: 'mail', input: email() });
    const stuckId = (world.catalog.decode(stuck.value).value as { triggerId: string }).triggerId;
    const blocker = await orchestrator.store.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query("INSERT INTO inbox (message_id, consumer) VALUES ($1, 'orchestrator')", [stuckId]);
      await world.producer.send([stuck]);
      await waitFor(async () => (orchestrator.consumers.triggers.isStalled(1000) ? true : undefined), 'the trigger partition to stall', 15000);
      const gauge = await orchestrator.metricsRegistry.getSingleMetricAsString('baton_consumer_stalled_seconds');
      assert.match(gauge, new RegExp(`baton_consumer_stalled_seconds\\{topic="${world.topics.triggers.replace(/\./g, '\\.')}",partition="\\d",service="orchestrator"\\} [1-9]`));
      assert.equal(orchestrator.consumersReady(), false, 'readiness reports the stall');
      const released = Date.now();
      hold.open();
      const done = await waitFor(() => completedAt(runningCase), 'the running case to complete while the trigger is stuck', 5000);
      process.stdout.write(`# running case completed ${done - released} ms after its result was released, trigger still stuck\n`);
      assert.ok(orchestrator.consumers.triggers.isStalled(1000), 'the trigger is still stuck');
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    await waitFor(() => completedAt(caseOf(stuck)), 'the stuck trigger, once free', 20000);
    await waitFor(async () => (orchestrator.consumersReady() ? true : undefined), 'readiness to recover', 10000);
  });

  it('completes 50 healthy cases with a p99 latency within 2x of the same run without poison', async () => {
    const run = async (poison: boolean): Promise<number[]> => {
      const sent: { caseId: string; at: number }[] = [];
      for (let i = 0; i < 50; i++) {
        const batch: OutgoingMessage[] = [trigger({ workflow: 'mail', input: email() })];
        if (poison && i % 12 === 0 && i < 36) batch.push(trigger({ workflow: 'mail', key: `poison-${i}-\u0000`, input: email(`nul \u0000 ${i}`) }));
        if (poison && i === 20) batch.push(trigger({ workflow: 'mail', input: email('y'.repeat(700 * 1024)) }));
        const at = Date.now();
        await world.producer.send(batch);
        sent.push({ caseId: caseOf(batch[0]!), at });
        await sleep(20);
      }
      const latencies: number[] = [];
      for (const s of sent) latencies.push((await waitFor(() => completedAt(s.caseId), `healthy case ${s.caseId}`, 60000)) - s.at);
      return latencies;
    };
    const clean = await run(false);
    const poisoned = await run(true);
    const p99Clean = percentile(clean, 99);
    const p99Poisoned = percentile(poisoned, 99);
    process.stdout.write(`# healthy p99 without poison ${p99Clean} ms, with 3 NUL triggers and one oversized trigger ${p99Poisoned} ms\n`);
    assert.equal(poisoned.length, 50);
    // Generous: twice the clean run, and never less than a second of slack for a loaded machine.
    assert.ok(p99Poisoned <= Math.max(2 * p99Clean, p99Clean + 1000), `p99 ${p99Poisoned} ms with poison vs ${p99Clean} ms without`);
  });
});
