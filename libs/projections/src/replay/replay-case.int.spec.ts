import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Projector } from '../projector/projector';
import { ProjectionQueries } from '../queries/projection-queries';
import { rebuildProjections } from '../rebuild';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, type ProjectionFixture } from '../testing/fixture';
import { replayCase, replayRange } from './replay-case';

const T0 = Date.parse('2026-01-05T09:00:00Z');

describe('replaying cases against their projections', () => {
  let f: ProjectionFixture;
  let queries: ProjectionQueries;

  before(async () => {
    f = await projectionFixture('replay');
    queries = new ProjectionQueries(f.store.pool);
    const a = new CaseDriver(f.store, 'case-a');
    const b = new CaseDriver(f.store, 'case-b');
    await a.start(T0, { raw: 'Subject: hello' }, 'key-a');
    await a.fail('parse', 1, 'Flaky', true, T0 + 100);
    await a.fire('retry', T0 + 1100, 'parse', 2);
    await a.complete('parse', 2, { subject: 'hello' }, T0 + 1200);
    await b.start(T0 + 10);
    await b.complete('parse', 1, { subject: 'b' }, T0 + 200);
    await b.fail('extract', 1, 'Broken', false, T0 + 300);
    await new Projector(f.store).catchUp();
  });

  after(async () => { await f?.dispose(); });

  it('finds no difference where the projection was written from the same events', async () => {
    for (const id of ['case-a', 'case-b']) {
      const r = await replayCase(f.store, queries, id);
      assert.ok(r.events >= 3, `${id}: ${r.events} events`);
      assert.deepEqual(r.differences, [], `${id}: ${JSON.stringify(r.differences)}`);
    }
    const all = await replayRange(f.store, queries, { from: 0, to: Date.now() + 60_000 });
    assert.deepEqual(all.map((r) => r.caseId), ['case-a', 'case-b']);
  });

  it('reports each field where the stored projection disagrees with the fold', async () => {
    await f.pool.query(`UPDATE case_summary SET status = 'completed' WHERE case_id = 'case-a'`);
    const r = await replayCase(f.store, queries, 'case-a');
    assert.deepEqual(r.differences.map((d) => d.path), ['status']);
    assert.equal(r.differences[0]!.stored, 'completed');
    assert.equal(r.differences[0]!.replayed, r.state.status);
    await assert.rejects(replayCase(f.store, queries, 'no-such-case'), /no-such-case has no events/);
  });

  it('a rebuild reports its progress and repairs the difference', async () => {
    const progress: [number, number][] = [];
    const replayed = await rebuildProjections(f.store, { batchSize: 2, onProgress: (n, total) => progress.push([n, total]) });
    assert.ok(progress.length >= 2, JSON.stringify(progress));
    assert.deepEqual(progress[progress.length - 1], [replayed, replayed]);
    assert.deepEqual((await replayCase(f.store, queries, 'case-a')).differences, []);
  });
});
