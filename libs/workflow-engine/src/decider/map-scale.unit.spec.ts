import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import type { CaseEvent } from '../events';
import { cmd } from '../testing/commands';
import { decide } from './decide';
import { evolve } from './evolve';
import { foldEvents } from './fold';
import { initialState, type CaseState } from './state';

const N = 10_000;

describe('map at 10,000 items (a measurement, not a speed assertion)', () => {
  it('runs 10,000 items at maxConcurrency 20 with 2 events per item, sharing untouched chunks, and replays to the same state', async () => {
    const workflow = defineWorkflow({ name: 'big', version: 1, steps: { each: { type: 'x.item', map: { items: 'case.input.xs', maxConcurrency: 20 } } } });
    const xs = Array.from({ length: N }, (_, i) => ({ n: i }));
    let state: CaseState = initialState();
    const events: CaseEvent[] = [];
    let now = 1_000_000;
    let maxInFlight = 0;
    const inFlight = new Set<string>();
    const t0 = performance.now();
    const apply = async (command: Parameters<typeof decide>[0]) => {
      const d = await decide(command, state, { workflow, now: now++, random: () => 0.5 });
      for (const e of d.events) { state = evolve(state, e); events.push(e); }
      for (const r of d.requests) inFlight.add(r.stepId);
      maxInFlight = Math.max(maxInFlight, inFlight.size);
      return d;
    };
    await apply(cmd.start('c-big', { xs }));
    let decisions = 0;
    while (inFlight.size > 0) {
      const stepId = inFlight.values().next().value!;
      inFlight.delete(stepId);
      await apply(cmd.completed(stepId, 1, { ok: stepId }));
      decisions++;
    }
    const liveMs = performance.now() - t0;
    assert.equal(state.status, 'completed');
    assert.equal(decisions, N);
    assert.ok(maxInFlight <= 20, `at most 20 in flight, saw ${maxInFlight}`);
    const output = (state.output as { each: { ok: string }[] }).each;
    assert.equal(output.length, N);
    assert.deepEqual(output[9_999], { ok: 'each#9999' });
    const itemEvents = events.filter((e) => e.type === 'MapItemScheduled' || e.type === 'MapItemCompleted').length;
    assert.equal(itemEvents, 2 * N, 'two events per item');

    // Structural: an event about one item shares every chunk it does not touch.
    const mid = foldEvents(events.slice(0, 2 + 2 * 5_000));
    const next = evolve(mid, events[2 + 2 * 5_000]!);
    const before = mid.steps.each!.map!.itemStates;
    const after = next.steps.each!.map!.itemStates;
    const changed = after.filter((chunk, i) => chunk !== before[i]).length;
    assert.equal(changed, 1, 'one chunk copied');
    assert.equal(after.length, Math.ceil(N / 128));

    const t1 = performance.now();
    const replayed = foldEvents(JSON.parse(JSON.stringify(events)) as CaseEvent[]);
    const replayMs = performance.now() - t1;
    assert.deepStrictEqual(replayed, state);
    console.log(`map 10,000 items: ${events.length} events (${(events.length / N).toFixed(2)} per item), ${decisions} decisions; ` +
      `decide+evolve ${liveMs.toFixed(0)} ms (${((liveMs * 1000) / events.length).toFixed(0)} µs per event), replay ${replayMs.toFixed(0)} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  });
});
