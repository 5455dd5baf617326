import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listSchedules, setSchedulePaused } from '@baton/event-store';
import { loadDefinition } from '@baton/workflow-engine';
import { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';
import { ScheduleLoop } from './schedule-loop';

/** The YAML of libs/workflow-engine/README.md, "Triggers: cron schedules". */
const everySecond = loadDefinition(`
name: every-second
version: 1
triggers:
  - cron: "* * * * * *"        # croner: six fields, seconds first
    timezone: Europe/Berlin
    input: { n: 7 }
steps:
  tick: { type: noop }
`);

const catchUp = loadDefinition(`
name: catch-up
version: 1
triggers:
  - id: nightly
    cron: "* * * * * *"
    catchupWindow: PT2S
steps:
  tick: { type: noop }
`);

describe('cron schedules with two orchestrators (real Kafka and Postgres)', () => {
  let world: World;
  let first: Orchestrator;
  let second: Orchestrator;

  before(async () => {
    world = await createWorld('sched', ['noop']);
    first = await startOrchestrator(world);
    second = await Orchestrator.create({ ...world.config, instanceId: `${world.config.instanceId}-b`, migrate: false, projector: false });
    await second.start();
    await first.registerWorkflow(everySecond);
  });

  after(async () => {
    await second?.stop();
    await first?.stop();
    await world?.close();
  });

  /** The ticks (epoch ms) of every case the schedule `id` started, with how many cases each tick started. */
  async function firedTicks(id: string): Promise<Map<number, number>> {
    const { rows } = await first.store.pool.query<{ key: string }>(`SELECT data->>'key' AS key FROM events WHERE event_type = 'CaseStarted' AND data->>'key' LIKE $1`, [`${id}@%`]);
    const ticks = new Map<number, number>();
    for (const r of rows) {
      const t = Date.parse(r.key.slice(id.length + 1));
      ticks.set(t, (ticks.get(t) ?? 0) + 1);
    }
    return ticks;
  }

  it('fires a one-second cron exactly once per tick: 10 cases in 10 seconds', async () => {
    await first.schedules.sync();
    const ticks = await waitFor(async () => {
      const t = await firedTicks('every-second:0');
      return t.size >= 12 ? t : undefined;
    }, '12 ticks fired', 60_000);
    const [paused] = await Promise.all([setSchedulePaused(first.store.pool, 'every-second:0', true)]);
    assert.equal(paused?.paused, true);
    const sorted = [...ticks.keys()].sort((a, b) => a - b);
    // Ten consecutive seconds after the first tick: ten cases, one per tick.
    const from = sorted[1]!;
    const inWindow = sorted.filter((t) => t >= from && t < from + 10_000);
    assert.equal(inWindow.length, 10, JSON.stringify(inWindow.map((t) => new Date(t).toISOString())));
    assert.ok([...ticks.values()].every((n) => n === 1), 'no tick started two cases');
    for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]! - sorted[i - 1]!, 1000, 'no tick was left out');
    const { rows } = await first.store.pool.query<{ input: unknown }>(`SELECT data->'input' AS input FROM events WHERE event_type = 'CaseStarted' AND data->>'key' LIKE 'every-second:0@%' LIMIT 1`);
    assert.deepEqual(rows[0]!.input, { n: 7 });
    const row = (await listSchedules(first.store.pool)).find((s) => s.scheduleId === 'every-second:0')!;
    assert.equal(row.timezone, 'Europe/Berlin');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await firedTicks('every-second:0')).size, row.firedCount, 'the count matches the cases, and a paused schedule fires nothing');
    console.log(`fired by the two orchestrators: ${first.schedules.fired} and ${second.schedules.fired}`);
  });

  it('after downtime fires the ticks inside the catch-up window and skips and counts the older ones', async () => {
    // The loops on the real clock stop; this one runs on a clock of its own.
    await Promise.all([first.schedules.stop(), second.schedules.stop()]);
    await first.registerWorkflow(catchUp);
    const start = Math.ceil((Date.now() + 86_400_000) / 1000) * 1000;
    let clock = start;
    const loop = new ScheduleLoop(first.store, first.registry, first.handler, { clock: () => clock, catchupWindowMs: 60_000 });
    await loop.sync();
    clock = start + 30_000;
    assert.equal(await loop.fireDue(), 3, 'the ticks of the last 2 seconds (PT2S) and the one now');
    const row = (await listSchedules(first.store.pool)).find((s) => s.scheduleId === 'catch-up:nightly')!;
    assert.equal(row.skippedCount, 27);
    assert.equal(row.firedCount, 3);
    assert.equal(row.nextFireAt, start + 31_000);
    assert.deepEqual([...(await firedTicks('catch-up:nightly')).keys()].sort(), [start + 28_000, start + 29_000, start + 30_000]);
  });

  it('skips the ticks missed while paused instead of catching them up', async () => {
    const start = Math.ceil((Date.now() + 2 * 86_400_000) / 1000) * 1000;
    let clock = start;
    const loop = new ScheduleLoop(first.store, first.registry, first.handler, { clock: () => clock, catchupWindowMs: 3_600_000 });
    await first.store.pool.query(`UPDATE schedules SET next_fire_at = $1, paused = true WHERE schedule_id = 'catch-up:nightly'`, [new Date(start + 1000)]);
    clock = start + 10_000;
    assert.equal(await loop.fireDue(), 0, 'a paused schedule fires nothing');
    const resumed = await setSchedulePaused(first.store.pool, 'catch-up:nightly', false);
    await first.store.pool.query(`UPDATE schedules SET resumed_at = $1 WHERE schedule_id = 'catch-up:nightly'`, [new Date(start + 9_500)]);
    assert.equal(resumed?.paused, false);
    assert.equal(await loop.fireDue(), 1, 'only the tick after the unpause');
  });
});
