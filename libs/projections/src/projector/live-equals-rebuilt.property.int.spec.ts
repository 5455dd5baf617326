import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isTerminal } from '@baton/workflow-engine';
import { Projector } from './projector';
import { rebuildProjections } from '../rebuild';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, snapshot, type ProjectionFixture } from '../testing/fixture';

/** One move of the outside world: which case, what happens to it, and whether the projector runs after it. */
const move = fc.record({
  c: fc.nat({ max: 2 }),
  kind: fc.nat({ max: 9 }),
  k: fc.nat({ max: 99 }),
  project: fc.boolean(),
});

type Move = { c: number; kind: number; k: number; project: boolean };

/** Plays one move on a case: a step result, a review decision, a timer, or a cancellation. */
async function play(d: CaseDriver, m: Move, now: number): Promise<number> {
  if (d.state.status === 'new') { await d.start(now, { raw: `mail ${m.k}` }, m.k % 2 === 0 ? `key-${d.caseId}` : undefined); return now; }
  if (isTerminal(d.state)) return now;
  const requests = [...d.requests.values()];
  const tasks = d.openTasks();
  const kinds = [m.kind, 0, 7, 5]; // fall back to a result, a timer, a decision
  for (const kind of kinds) {
    if (kind <= 4 && requests.length > 0) {
      const r = requests[m.k % requests.length]!;
      if (kind === 2) return (await d.fail(r.stepId, r.attempt, 'Flaky', true, now), now);
      if (kind === 3 && m.k % 3 === 0) return (await d.fail(r.stepId, r.attempt, 'Broken', false, now), now);
      const output = r.stepId === 'classify' ? { label: 'ham', confidence: m.k % 2 === 0 ? 0.4 : 0.9 } : { by: r.stepId, k: m.k };
      const metering = m.k % 3 === 0 ? { model: `model-${m.k % 2}`, inputTokens: m.k * 10, outputTokens: m.k, costUsd: m.k / 1000 } : undefined;
      return (await d.complete(r.stepId, r.attempt, output, now, metering), now);
    }
    if ((kind === 5 || kind === 6) && tasks.length > 0) {
      const decision = (['approve', 'reject', 'edit'] as const)[m.k % 3]!;
      await d.send({
        type: 'DecideReview',
        data: { taskId: tasks[m.k % tasks.length]!, decision, ...(decision === 'edit' && { output: { edited: m.k } }), reviewer: 'rev', comment: `c${m.k}` },
      }, now);
      return now;
    }
    if (kind === 9 && m.k % 4 === 0) {
      await d.send({ type: 'CancelCase', data: { reason: 'no longer needed', requestedBy: 'ops' } }, now);
      return now;
    }
    if (kind >= 7 && d.timers.size > 0) return (await d.fireNextTimer(now)).now;
  }
  return now;
}

describe('live projections equal rebuilt projections (property)', () => {
  let f: ProjectionFixture;
  before(async () => (f = await projectionFixture('projprop')));
  after(async () => f?.dispose());

  it('for random interleavings of cases driven by random step outcomes, with the projector run at random points', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(move, { minLength: 10, maxLength: 70 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), async (moves, batchSize, cacheSize) => {
        run++;
        const drivers = [0, 1, 2].map((i) => new CaseDriver(f.store, `r${run}-c${i}`));
        const live = new Projector(f.store, { batchSize, cacheSize }); // a small cache: misses fold the stream again
        let now = 1_767_225_600_000 + run * 10_000_000;
        for (const m of moves) {
          now += 50 + m.k * 10;
          now = await play(drivers[m.c]!, m, now);
          if (m.project) await live.runOnce();
        }
        await live.catchUp();
        const liveRows = await snapshot(f.pool);
        const started = drivers.filter((d) => d.state.status !== 'new');
        for (const d of started) {
          const row = liveRows.case_summary!.find((r) => (r as { case_id: string }).case_id === d.caseId) as { status: string; event_count: number };
          assert.equal(row.status, d.state.status);
          assert.equal(row.event_count, d.events.length);
        }
        await rebuildProjections(f.store, { batchSize: 50 });
        assert.deepEqual(await snapshot(f.pool), liveRows);
      }),
      { numRuns: 15 },
    );
  });
});
