import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { foldEvents, upcast } from '@baton/workflow-engine';
import { Projector } from '../projector/projector';
import { ProjectionQueries } from '../queries/projection-queries';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, type ProjectionFixture } from '../testing/fixture';
import { replayCase } from './replay-case';

const T0 = Date.parse('2025-12-01T09:00:00Z');

describe('an event stored in an old shape is read, folded, projected and replayed as today\'s (upcasting)', () => {
  let f: ProjectionFixture;
  let queries: ProjectionQueries;

  before(async () => {
    f = await projectionFixture('upcast');
    queries = new ProjectionQueries(f.store.pool);
    const a = new CaseDriver(f.store, 'case-old');
    await a.start(T0);
    // A year-old release wrote StepTimedOut version 1: no `timeout`, no eventVersion in its metadata.
    await f.store.withTransaction((tx) => f.store.appendToStream(tx, 'case-old', a.state.eventCount, [
      { type: 'StepTimedOut', data: { stepId: 'parse', attempt: 1, deadline: T0 + 30_000, error: { name: 'StepTimeout', message: "attempt 1 of step 'parse' passed its deadline", retryable: true }, timedOutAt: T0 + 30_000 }, metadata: {} },
      { type: 'StepRetryScheduled', data: { stepId: 'parse', attempt: 2, delayMs: 1000, dueAt: T0 + 31_000 }, metadata: {} },
    ]));
    await new Projector(f.store).catchUp();
  });

  after(async () => { await f?.dispose(); });

  it('the stored row keeps its old shape; read through upcast it has the version 2 field and folds', async () => {
    const { rows } = await f.pool.query(`SELECT data FROM events WHERE stream_id = 'case-old' AND event_type = 'StepTimedOut'`);
    assert.equal(rows[0].data.timeout, undefined, 'the append-only row is never rewritten');
    const stored = await f.store.readStream('case-old');
    const events = stored.map((e) => upcast(e));
    assert.equal((events.find((e) => e.type === 'StepTimedOut')!.data as { timeout: string }).timeout, 'schedule-to-close');
    const state = foldEvents(events);
    assert.equal(state.steps.parse!.status, 'retry-wait');
    assert.equal(state.steps.parse!.attempts[0]!.outcome, 'timed-out');
  });

  it('the projector writes the new shape to the timeline, and replay finds no difference', async () => {
    const timeline = await queries.timeline('case-old');
    const entry = timeline.find((t) => t.eventType === 'StepTimedOut')!;
    assert.match(entry.summary, /timed out \(schedule-to-close timeout\)/);
    assert.equal((entry.data as { timeout: string }).timeout, 'schedule-to-close');
    const replay = await replayCase(f.store, queries, 'case-old');
    assert.deepEqual(replay.differences, []);
    assert.equal(replay.state.steps.parse!.status, 'retry-wait');
  });
});
