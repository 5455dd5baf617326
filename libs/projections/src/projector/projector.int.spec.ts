import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Projector } from './projector';
import { rebuildProjections } from '../rebuild';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, snapshot, type ProjectionFixture } from '../testing/fixture';
import { gate, sleep } from '@baton/testing';

const T0 = 1_767_225_600_000;
const metering = { model: 'gpt-small', inputTokens: 100, outputTokens: 20, costUsd: 0.0012 };

describe('the projector', () => {
  let f: ProjectionFixture;
  let live: Projector;
  before(async () => {
    f = await projectionFixture('proj');
    live = new Projector(f.store, { batchSize: 7 });
  });
  after(async () => f?.dispose());

  /** Rows of one table for one case. */
  async function rows(table: string, caseId: string, order: string): Promise<Record<string, unknown>[]> {
    return (await f.pool.query(`SELECT * FROM ${table} WHERE case_id = $1 ORDER BY ${order}`, [caseId])).rows;
  }

  it('projects interleaved cases live, batch by batch, and a rebuild from scratch gives exactly the same rows', async () => {
    const a = new CaseDriver(f.store, 'case-a');
    const b = new CaseDriver(f.store, 'case-b');
    const c = new CaseDriver(f.store, 'case-c');
    const steps: (() => Promise<unknown>)[] = [
      () => a.start(T0, { raw: 'Subject: hello' }, 'key-a'),
      () => b.start(T0 + 10),
      () => a.fail('parse', 1, 'Flaky', true, T0 + 100), // retry in 1 s
      () => b.complete('parse', 1, { subject: 'b' }, T0 + 200), // classify and extract in parallel
      () => a.fire('retry', T0 + 1100, 'parse', 2),
      () => a.complete('parse', 2, { subject: 'hello' }, T0 + 1220),
      () => c.start(T0 + 1300),
      () => a.complete('extract', 1, { entities: ['x'] }, T0 + 1400, metering),
      () => a.complete('classify', 1, { label: 'ham', confidence: 0.5 }, T0 + 1500), // review gate holds
      () => b.complete('classify', 1, { label: 'spam', confidence: 0.95 }, T0 + 1600),
      () => b.fail('extract', 1, 'Broken', false, T0 + 1700), // case fails, parse is compensated
      () => b.complete('compensate:parse', 1, 'undone', T0 + 1900),
      () => c.complete('parse', 1, { subject: 'c' }, T0 + 2000),
      () => a.send({ type: 'DecideReview', data: { taskId: 'case-a:review:classify:1', decision: 'approve', comment: 'fine', reviewer: 'ann' } }, T0 + 3000),
      () => c.complete('classify', 1, { label: 'ham', confidence: 0.3 }, T0 + 3100),
      () => a.complete('reply', 1, { text: 'hi' }, T0 + 5000),
      () => c.complete('extract', 1, { entities: [] }, T0 + 5100),
    ];
    let applied = 0;
    for (const step of steps) {
      await step();
      applied += await live.runOnce();
    }
    applied += await live.catchUp();
    const total = a.events.length + b.events.length + c.events.length;
    assert.equal(applied, total);
    assert.equal(await live.runOnce(), 0, 'nothing left');
    assert.equal(a.state.status, 'completed');
    assert.equal(b.state.status, 'failed');
    assert.equal(c.state.status, 'awaiting-review');

    const liveRows = await snapshot(f.pool);
    assert.equal(liveRows.timeline!.length, total);
    assert.equal(await rebuildProjections(f.store), total);
    assert.deepEqual(await snapshot(f.pool), liveRows);
  });

  it('summarises each case from its folded state: status, duration, steps, failure', async () => {
    const [a] = await rows('case_summary', 'case-a', 'case_id');
    assert.equal(a!.status, 'completed');
    assert.equal(a!.workflow, 'triage');
    assert.equal(a!.workflow_version, 1);
    assert.equal(a!.case_key, 'key-a');
    assert.equal(a!.triggered_by, 'test');
    assert.deepEqual(a!.started_at, new Date(T0));
    assert.deepEqual(a!.finished_at, new Date(T0 + 5000));
    assert.equal(Number(a!.duration_ms), 5000);
    assert.deepEqual(a!.steps_in_flight, []);
    assert.deepEqual(a!.steps, {
      parse: { status: 'completed', attempt: 2, stepType: 'email.parse' },
      classify: { status: 'completed', attempt: 1, stepType: 'text.classify' },
      extract: { status: 'completed', attempt: 1, stepType: 'text.entities' },
      reply: { status: 'completed', attempt: 1, stepType: 'text.draft' },
    });
    assert.equal(a!.failure, null);
    assert.deepEqual(a!.sla_due_at, new Date(T0 + 600_000));
    assert.equal(a!.sla_breached, false);
    assert.deepEqual(a!.last_event_at, new Date(T0 + 5000));

    const [b] = await rows('case_summary', 'case-b', 'case_id');
    assert.equal(b!.status, 'failed');
    assert.deepEqual(b!.failure, { stepId: 'extract', error: { name: 'Broken', message: 'Broken happened', retryable: false } });
    assert.equal(Number(b!.duration_ms), 1890);

    const [c] = await rows('case_summary', 'case-c', 'case_id');
    assert.equal(c!.status, 'awaiting-review');
    assert.deepEqual(c!.steps_in_flight, ['classify']);
    assert.equal(c!.finished_at, null);
    assert.equal(c!.duration_ms, null);
  });

  it('keeps one step_executions row per attempt, with the failed attempt\'s error, metering, and compensation attempts', async () => {
    const a = await rows('step_executions', 'case-a', 'step_id, attempt');
    const parse = a.filter((r) => r.step_id === 'parse');
    assert.equal(parse.length, 2);
    assert.equal(parse[0]!.status, 'failed');
    assert.deepEqual(parse[0]!.error, { name: 'Flaky', message: 'Flaky happened', retryable: true });
    assert.deepEqual(parse[0]!.finished_at, new Date(T0 + 100));
    assert.equal(Number(parse[0]!.duration_ms), 100);
    assert.equal(parse[1]!.status, 'completed');
    assert.deepEqual(parse[1]!.scheduled_at, new Date(T0 + 1100));
    assert.equal(Number(parse[1]!.duration_ms), 120);
    assert.deepEqual(parse[1]!.output, { subject: 'hello' });
    assert.equal(parse[1]!.error, null);
    assert.equal(parse[1]!.model, null);

    const extract = a.find((r) => r.step_id === 'extract')!;
    assert.equal(extract.model, 'gpt-small');
    assert.equal(extract.input_tokens, 100);
    assert.equal(extract.output_tokens, 20);
    assert.equal(Number(extract.cost_usd), 0.0012);
    assert.equal(extract.step_type, 'text.entities');

    const classify = a.find((r) => r.step_id === 'classify')!;
    assert.deepEqual(classify.input, { subject: 'hello' });
    assert.equal(classify.status, 'completed');

    const b = await rows('step_executions', 'case-b', 'step_id, attempt');
    const undo = b.find((r) => r.step_id === 'compensate:parse')!;
    assert.equal(undo.step_type, 'email.unparse');
    assert.equal(undo.status, 'completed');
    assert.deepEqual(undo.input, { input: { raw: 'Subject: hello' }, output: { subject: 'b' } });
    assert.equal(undo.output, 'undone');
    assert.equal(Number(undo.duration_ms), 200);
    assert.equal(b.find((r) => r.step_id === 'extract')!.status, 'failed');
  });

  it('opens a human task that carries the output under review and the context of every prior step', async () => {
    const [open] = await rows('human_tasks', 'case-c', 'task_id');
    assert.equal(open!.task_id, 'case-c:review:classify:1');
    assert.equal(open!.status, 'open');
    assert.equal(open!.queue, 'triage');
    assert.equal(open!.step_type, 'text.classify');
    assert.deepEqual(open!.output, { label: 'ham', confidence: 0.3 });
    assert.deepEqual(open!.input, { subject: 'c' });
    assert.match(open!.reason as string, /confidence < 0\.8/);
    assert.deepEqual(open!.requested_at, new Date(T0 + 3100));
    assert.deepEqual(open!.due_at, new Date(T0 + 3100 + 3_600_000));
    const context = open!.context as { case: { input: unknown }; steps: Record<string, { input: unknown; output: unknown }> };
    assert.deepEqual(context.case.input, { raw: 'Subject: hello' });
    assert.deepEqual(context.steps.parse!.output, { subject: 'c' });
    assert.deepEqual(context.steps.parse!.input, { raw: 'Subject: hello' });

    const [decided] = await rows('human_tasks', 'case-a', 'task_id');
    assert.equal(decided!.status, 'decided');
    assert.equal(decided!.decision, 'approve');
    assert.equal(decided!.reviewer, 'ann');
    assert.equal(decided!.comment, 'fine');
    assert.equal(decided!.decided_by, 'reviewer');
    assert.deepEqual(decided!.decided_at, new Date(T0 + 3000));
  });

  it('writes the timeline in stream order, with the events\' own times and one-line summaries', async () => {
    const t = await rows('timeline', 'case-a', 'stream_position');
    assert.deepEqual(t.map((r) => r.stream_position), t.map((_, i) => i + 1));
    const positions = t.map((r) => Number(r.global_position));
    assert.deepEqual(positions, [...positions].sort((x, y) => x - y));
    assert.equal(t[0]!.event_type, 'CaseStarted');
    assert.equal(t[0]!.summary, 'case started on workflow triage v1, triggered by test with key key-a');
    const summaries = t.map((r) => r.summary as string);
    assert.ok(summaries.includes('step parse attempt 1 failed after 100 ms: Flaky: Flaky happened'), summaries.join('\n'));
    assert.ok(summaries.includes('step parse attempt 2 completed in 120 ms'));
    assert.ok(summaries.includes('step extract attempt 1 completed in 180 ms (model gpt-small, 100 in / 20 out tokens, $0.0012)'));
    assert.ok(summaries.includes('review task case-a:review:classify:1 of step classify: approve by ann (fine)'));
    assert.equal(summaries.at(-1), 'case completed in 5000 ms');
    const retry = t.find((r) => r.event_type === 'StepRetryScheduled')!;
    assert.deepEqual(retry.at, new Date(T0 + 100), 'a retry is timed at the failure');
    assert.equal(retry.step_id, 'parse');
    assert.equal(retry.attempt, 2);
    const undo = (await rows('timeline', 'case-b', 'stream_position')).find((r) => r.event_type === 'CompensationCompleted')!;
    assert.equal(undo.step_id, 'compensate:parse');
  });

  it('applies nothing twice: replaying every event over the existing rows changes none of them', async () => {
    const before = await snapshot(f.pool);
    await f.pool.query(`DELETE FROM checkpoints WHERE name = 'projections'`);
    const again = new Projector(f.store, { batchSize: 4, cacheSize: 1 });
    assert.ok((await again.catchUp()) > 0);
    assert.deepEqual(await snapshot(f.pool), before);
  });

  it('does not skip a transaction that commits after a later one: both are projected once it commits', async () => {
    const early = new CaseDriver(f.store, 'late-1');
    const later = new CaseDriver(f.store, 'late-2');
    const hold = gate();
    const appended = gate();
    const a = f.store.withTransaction(async (tx) => {
      await early.send({ type: 'StartCase', data: { caseId: 'late-1', input: {}, triggeredBy: 'test' } }, T0 + 10_000, tx);
      appended.open();
      await hold.opened;
    });
    await appended.opened;
    await later.start(T0 + 10_001);
    await live.runOnce();
    const summary = async (id: string) => (await f.pool.query('SELECT status FROM case_summary WHERE case_id = $1', [id])).rows;
    assert.deepEqual(await summary('late-2'), [], 'B waits behind the open A');
    assert.deepEqual(await summary('late-1'), []);
    hold.open();
    await a;
    await live.catchUp();
    assert.deepEqual(await summary('late-1'), [{ status: 'running' }]);
    assert.deepEqual(await summary('late-2'), [{ status: 'running' }]);
  });

  it('applies a case in stream order even when a transaction that began first appends the later positions', async () => {
    const x = new CaseDriver(f.store, 'case-x');
    await x.start(T0 + 20_000);
    await live.catchUp();
    const hold = gate();
    const hasXid = gate();
    const b = f.store.withTransaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // B takes its xid first...
      hasXid.open();
      await hold.opened;
      await x.fail('extract', 1, 'Flaky', true, T0 + 20_500, tx); // ...and appends positions 6-7 last
    });
    await hasXid.opened;
    await x.complete('parse', 1, { subject: 'x' }, T0 + 20_100); // positions 3-5, later xid, committed first
    hold.open();
    await b;
    // readAll holds back until every transaction that took an xid before B's has ended, on the
    // whole server (other test runs included): wait until it delivers all seven before checking.
    const deliveredOrder = async () => (await f.store.readAll({ after: null, limit: 10_000 })).events.filter((e) => e.streamId === 'case-x').map((e) => e.streamPosition);
    let order = await deliveredOrder();
    for (const deadline = Date.now() + 30_000; order.length < 7 && Date.now() < deadline;) {
      await sleep(20);
      order = await deliveredOrder();
    }
    assert.deepEqual(order, [1, 2, 6, 7, 3, 4, 5], 'commit order delivers 6-7 before 3-5');

    await live.catchUp();
    const t = await rows('timeline', 'case-x', 'stream_position');
    assert.deepEqual(t.map((r) => r.stream_position), [1, 2, 3, 4, 5, 6, 7]);
    const extract = (await rows('step_executions', 'case-x', 'step_id, attempt')).find((r) => r.step_id === 'extract')!;
    assert.equal(extract.status, 'failed');
    const [summary] = await rows('case_summary', 'case-x', 'case_id');
    assert.equal(summary!.event_count, 7);
    assert.deepEqual(summary!.steps_in_flight, ['classify', 'extract']);

    const liveRows = await snapshot(f.pool);
    await rebuildProjections(f.store);
    assert.deepEqual(await snapshot(f.pool), liveRows);
  });

  it('runs in the background until stopped', async () => {
    const bg = new Projector(f.store, { pollMs: 20 });
    bg.start();
    const d = new CaseDriver(f.store, 'case-bg');
    await d.start(T0 + 30_000);
    const deadline = Date.now() + 15_000;
    while ((await f.pool.query(`SELECT 1 FROM case_summary WHERE case_id = 'case-bg'`)).rows.length === 0) {
      assert.ok(Date.now() < deadline, 'the background loop projected the case');
      await sleep(20);
    }
    await bg.stop();
  });
});
