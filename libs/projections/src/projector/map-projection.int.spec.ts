import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineWorkflow } from '@baton/workflow-engine';
import { Projector } from './projector';
import { rebuildProjections } from '../rebuild';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, snapshot, type ProjectionFixture } from '../testing/fixture';

const T0 = 1_767_225_600_000;
const ITEMS = 2000;
const fan = defineWorkflow({
  name: 'fan', version: 1,
  steps: { each: { type: 'x.item', map: { items: 'case.input.xs', maxConcurrency: 50 }, retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 } } },
});

describe('the projections of a map step', () => {
  let f: ProjectionFixture;
  before(async () => { f = await projectionFixture('projmap'); });
  after(async () => f?.dispose());

  it(`project ${ITEMS} items: one step_executions row per item attempt, the summary counts them, abandoned items end abandoned, a rebuild gives the same rows`, async () => {
    const done = new CaseDriver(f.store, 'fan-done', fan);
    let now = T0;
    await done.start(now, { xs: Array.from({ length: ITEMS }, (_, i) => i) });
    while (done.requests.size > 0) {
      const r = [...done.requests.values()][0]!;
      if (r.stepId === 'each#3' && r.attempt === 1) await done.fail(r.stepId, r.attempt, 'Flaky', true, (now += 5));
      else await done.complete(r.stepId, r.attempt, { n: r.input }, (now += 5));
      if (done.requests.size === 0 && done.timers.size > 0 && done.state.status === 'running') ({ now } = await done.fireNextTimer(now));
    }
    assert.equal(done.state.status, 'completed');

    const dropped = new CaseDriver(f.store, 'fan-failed', fan);
    await dropped.start(now, { xs: Array.from({ length: 120 }, (_, i) => i) });
    await dropped.fail('each#0', 1, 'Broken', false, (now += 5));
    assert.equal(dropped.state.status, 'failed');

    const projector = new Projector(f.store, { batchSize: 500 });
    await projector.catchUp();
    const count = async (caseId: string, status: string) =>
      Number((await f.pool.query("SELECT count(*) AS n FROM step_executions WHERE case_id = $1 AND step_id LIKE 'each#%' AND status = $2", [caseId, status])).rows[0].n);
    assert.equal(await count('fan-done', 'completed'), ITEMS);
    assert.equal(await count('fan-done', 'failed'), 1);
    assert.equal(await count('fan-failed', 'running'), 0, 'a failed map step leaves no item running');
    assert.equal(await count('fan-failed', 'abandoned'), 49);
    const summary = (await f.pool.query("SELECT steps FROM case_summary WHERE case_id = 'fan-done'")).rows[0].steps;
    assert.deepEqual(summary.each.items, { total: ITEMS, pending: 0, inFlight: 0, completed: ITEMS, failed: 0, maxConcurrency: 50 });
    const line = (await f.pool.query("SELECT summary FROM timeline WHERE case_id = 'fan-done' AND event_type = 'MapStarted'")).rows[0].summary;
    assert.equal(line, `map step each started: ${ITEMS} items of type x.item, at most 50 at once`);

    const before = await snapshot(f.pool);
    await rebuildProjections(f.store);
    assert.deepEqual(await snapshot(f.pool), before);
  });
});
