import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { ClaimCheck, PostgresClaimStore } from '@baton/claims';
import { ContractNames, MAX_MESSAGE_BYTES, type Wire } from '@baton/contracts';
import { serviceUrl } from '@baton/event-store';
import { stepHandler, StepModule } from '@baton/step-sdk';
import { collect } from '@baton/testing';
import { defineWorkflow } from '@baton/workflow-engine';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { sendTrigger } from '../testing/trigger';

const FIVE_MIB = 5 * 1024 * 1024;

/** The workflow of the claim check's test: parse makes a 5 MiB text, sentiment reads all of it (libs/workflow-engine/README.md). */
const bigPayload = defineWorkflow({
  name: 'big-payload', version: 1,
  input: 'baton.steps.email_parse.Input',
  steps: {
    parse: { type: 'email.parse' },
    sentiment: { type: 'text.sentiment', needs: ['parse'], input: '{"text": steps.parse.output.text}' },
  },
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('a 5 MiB step output through the claim check (real Kafka, Postgres, step SDK)', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let steps: INestApplicationContext;
  let pool: Pool;
  const big = 'a'.repeat(FIVE_MIB - 7) + ' good. ';
  const seen: { length: number; sha256: string }[] = [];

  before(async () => {
    world = await createWorld('claims', ['email.parse', 'text.sentiment']);
    orchestrator = await startOrchestrator(world);
    await orchestrator.registerWorkflow(bigPayload);
    pool = new Pool({ connectionString: serviceUrl(world.db.url), max: 2 });
    const handlers = [
      stepHandler('email.parse', async () => ({ subject: 'big', from: 'a@example.com', to: [], date: null, text: big, messageId: null })),
      stepHandler('text.sentiment', async (input: { text: string }) => {
        seen.push({ length: input.text.length, sha256: sha(input.text) });
        return { score: 1, comparative: 1 / input.text.length, label: 'positive' };
      }),
    ];
    @Module({ imports: [StepModule.forRoot({ handlers, namespace: world.config.topicNamespace, kafka: world.kafka, catalog: world.catalog, observability: false, claims: new PostgresClaimStore(pool) })] })
    class StepsModule {}
    steps = await NestFactory.createApplicationContext(StepsModule, { logger: ['error', 'warn'] });
    await steps.init();
  });

  after(async () => {
    await steps?.close();
    await orchestrator?.stop();
    await pool?.end();
    await world?.close();
  });

  it('completes the case: the next step reads the whole output, and no message comes near the broker limit', async () => {
    const caseId = await sendTrigger(world.producer, world.catalog, world.topics.triggers, { workflow: 'big-payload', inputName: 'baton.steps.email_parse.Input', input: { raw: 'Subject: big\n\nhello' } });
    const events = await waitFor(async () => {
      const es = await orchestrator.store.readStream(caseId);
      return es.some((e) => ['CaseCompleted', 'CaseFailed'].includes(e.type)) ? es : undefined;
    }, 'the case to end', 120_000);
    assert.equal(events.at(-1)!.type, 'CaseCompleted', JSON.stringify(events.map((e) => e.type)));
    assert.deepEqual(seen, [{ length: big.length, sha256: sha(big) }], 'the sentiment handler got the 5 MiB text whole');

    // The event store keeps the data itself (the decider folds it; replays need no claim store).
    const completed = events.find((e) => e.type === 'StepCompleted' && (e.data as { stepId: string }).stepId === 'parse')!;
    assert.equal(sha((completed.data as { output: { text: string } }).output.text), sha(big));

    // Stored once each: the parse output, the sentiment input, and the case events' JSON texts that carry the text.
    const { rows } = await pool.query<{ bytes: number }>('SELECT bytes FROM claims');
    assert.ok(rows.length >= 2, `claims stored: ${rows.length}`);
    assert.ok(rows.every((r) => r.bytes > FIVE_MIB), JSON.stringify(rows));

    const results = await collect(world.kafka, world.topics.stepResults, 2, 30_000);
    const requests = await collect(world.kafka, world.topics.step('text.sentiment'), 1, 30_000);
    for (const m of [...results, ...requests]) assert.ok(m.message.value!.length < 4096, `a ${m.topic} message of ${m.message.value!.length} bytes`);
    const output = (world.catalog.decode(results.find((m) => world.catalog.decode(m.message.value!).writerName === ContractNames.StepCompleted)!.message.value!).value as Wire.StepCompleted).output;
    assert.equal(world.catalog.decode(output).writerName, ContractNames.ClaimReference, 'the result carries a claim reference');

    // A public case event too large to travel carries dataClaim, which resolves to the event's JSON text.
    const caseEvents = await collect(world.kafka, world.topics.caseEvents, events.length, 30_000);
    assert.ok(caseEvents.every((m) => m.message.value!.length < MAX_MESSAGE_BYTES / 100));
    const claimed = caseEvents.map((m) => world.catalog.decode(m.message.value!).value as Wire.CaseEvent).filter((e) => e.dataClaim);
    assert.ok(claimed.some((e) => e.type === 'StepCompleted'), JSON.stringify(claimed.map((e) => e.type)));
    const check = new ClaimCheck(world.catalog, new PostgresClaimStore(pool));
    const text = await check.resolveText(claimed.find((e) => e.type === 'StepCompleted')!);
    assert.equal(sha((JSON.parse(text) as { output: { text: string } }).output.text), sha(big));
  });
});
