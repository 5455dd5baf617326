import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Projector } from '../projector/projector';
import { ProjectionQueries } from './projection-queries';
import { InvalidProjectionQuery } from '../errors';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, type ProjectionFixture } from '../testing/fixture';

const T0 = 1_767_225_600_000;

describe('projection queries for the gateway', () => {
  let f: ProjectionFixture;
  let q: ProjectionQueries;
  const ids: string[] = [];

  before(async () => {
    f = await projectionFixture('projq');
    q = new ProjectionQueries(f.pool);
    // 23 cases; groups of three share a start time, so pages must break ties on case_id.
    for (let i = 0; i < 23; i++) {
      const id = `case-${String(i).padStart(2, '0')}`;
      ids.push(id);
      const d = new CaseDriver(f.store, id);
      await d.start(T0 + Math.floor(i / 3) * 1000, undefined, i % 2 === 0 ? `even_${i}` : `odd%${i}`);
      if (i % 4 === 0) await d.fail('parse', 1, 'MalformedEmail', true, T0 + 60_000); // non-retryable by policy: failed
      if (i === 1) {
        await d.complete('parse', 1, { subject: 's' }, T0 + 61_000, { model: 'm', inputTokens: 1, outputTokens: 2, costUsd: 0.5 });
        await d.complete('classify', 1, { label: 'ham', confidence: 0.1 }, T0 + 62_000);
      }
    }
    await new Projector(f.store).catchUp();
  });
  after(async () => f?.dispose());

  it('pages through every case exactly once, newest start first, ties broken by case id', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await q.listCases({ limit: 5, ...(cursor !== undefined && { cursor }) });
      assert.ok(page.items.length <= 5);
      seen.push(...page.items.map((c) => c.caseId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    assert.equal(pages, 5);
    assert.equal(new Set(seen).size, seen.length, 'no case twice');
    assert.deepEqual(seen, [...ids].sort((a, b) => Math.floor(Number(b.slice(5)) / 3) - Math.floor(Number(a.slice(5)) / 3) || b.localeCompare(a)));
    assert.equal((await q.listCases()).items.length, 23);
    assert.match((await q.listCases({ limit: 1 })).nextCursor!, /^[A-Za-z0-9_-]+$/, 'base64url');
  });

  it('filters by workflow and status while paging', async () => {
    const failed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await q.listCases({ workflow: 'triage', status: 'failed', limit: 2, ...(cursor !== undefined && { cursor }) });
      failed.push(...page.items.map((c) => { assert.equal(c.status, 'failed'); return c.caseId; }));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    assert.deepEqual(failed.sort(), ids.filter((_, i) => i % 4 === 0));
    assert.deepEqual((await q.listCases({ workflow: 'nope' })).items, []);
  });

  it('filters by key prefix (% and _ match themselves) and by a start time range', async () => {
    const keys = async (o: Parameters<ProjectionQueries['listCases']>[0]) => (await q.listCases({ limit: 500, ...o })).items.map((c) => c.caseKey).sort();
    assert.deepEqual(await keys({ keyPrefix: 'odd%1' }), ['odd%1', 'odd%11', 'odd%13', 'odd%15', 'odd%17', 'odd%19']);
    assert.deepEqual(await keys({ keyPrefix: 'odd_' }), [], '_ is no wildcard');
    assert.deepEqual(await keys({ keyPrefix: 'even_2' }), ['even_2', 'even_20', 'even_22']);
    // Cases 3..5 started at T0 + 1 s, 6..8 at T0 + 2 s: [T0 + 1 s, T0 + 3 s) holds 3..8.
    const ranged = await q.listCases({ startedFrom: new Date(T0 + 1000).toISOString(), startedBefore: new Date(T0 + 3000).toISOString() });
    assert.deepEqual(ranged.items.map((c) => c.caseId).sort(), ids.slice(3, 9));
    await assert.rejects(q.listCases({ startedFrom: 'yesterday' }), /invalid 'startedFrom'/);
  });

  it('refuses a foreign cursor and a limit that is not a positive integer, and caps the limit at 500', async () => {
    await assert.rejects(q.listCases({ cursor: 'not-a-cursor' }), InvalidProjectionQuery);
    await assert.rejects(q.listCases({ limit: 0 }), /invalid 'limit'/);
    assert.equal((await q.listCases({ limit: 10_000 })).items.length, 23);
  });

  it('returns a case with its step executions, in camel case with ISO times', async () => {
    const detail = await q.getCase('case-01');
    assert.ok(detail);
    assert.equal(detail.summary.status, 'awaiting-review');
    assert.equal(detail.summary.startedAt, new Date(T0).toISOString());
    assert.deepEqual(detail.summary.stepsInFlight, ['classify', 'extract']);
    assert.equal(detail.summary.durationMs, null);
    assert.deepEqual(detail.executions.map((e) => [e.stepId, e.attempt, e.status]), [
      ['parse', 1, 'completed'], ['classify', 1, 'completed'], ['extract', 1, 'running'],
    ]);
    const parse = detail.executions[0]!;
    assert.equal(parse.costUsd, 0.5);
    assert.equal(parse.inputTokens, 1);
    assert.equal(parse.durationMs, 61_000);
    const failed = await q.getCase('case-00');
    assert.equal(failed!.summary.failure!.error.name, 'MalformedEmail');
    assert.equal(failed!.executions[0]!.error!.name, 'MalformedEmail');
    assert.equal(await q.getCase('no-such-case'), null);
  });

  it('returns the timeline in stream order', async () => {
    const t = await q.timeline('case-01');
    assert.deepEqual(t.map((e) => e.streamPosition), t.map((_, i) => i + 1));
    assert.equal(t[0]!.eventType, 'CaseStarted');
    assert.equal(t.at(-1)!.eventType, 'ReviewRequested');
    assert.match(t.at(-1)!.summary, /^step classify attempt 1 awaits review in queue triage/);
    assert.deepEqual(await q.timeline('no-such-case'), []);
  });

  it('lists open tasks by queue, one task with its context, and counts open tasks per queue', async () => {
    const open = await q.tasks();
    assert.deepEqual(open.map((t) => t.taskId), ['case-01:review:classify:1']);
    assert.deepEqual(await q.tasks({ queue: 'other' }), []);
    assert.deepEqual(await q.tasks({ status: 'decided' }), []);
    const task = await q.task('case-01:review:classify:1');
    assert.equal(task!.queue, 'triage');
    assert.deepEqual(task!.output, { label: 'ham', confidence: 0.1 });
    assert.deepEqual((task!.context as { steps: Record<string, { output: unknown }> }).steps.parse!.output, { subject: 's' });
    assert.equal(await q.task('nope'), null);
    assert.deepEqual(await q.openTasksByQueue(), { triage: 1 });
  });
});
