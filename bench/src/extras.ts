import { createEventStore } from '@baton/event-store';
import { rebuildProjections } from '@baton/projections';
import type { BenchEnvironment } from './environment';
import { peakRssMiB, rssMiB } from './proc';
import { readDoubleHandling, type DoubleHandlingCheck } from './scale-out';
import { waitForCases, waitForDrain, type TriggerSender } from './workload';

/** `rebuildProjections` over the run's whole event store: how fast the read models are rebuilt from scratch. */
export interface RebuildFigures {
  /** Events in the store, all replayed (by the rebuild, or by the live projector taking its turns on the same lock). */
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds the projections of the benchmark's database from scratch (`rebuildProjections`, its
 * defaults, on a connection of the owner role) while the orchestrators are idle, and times it
 * until the projections hold every event again. The orchestrator's live projector notices the
 * reset and may replay some batches itself (they serialise on one lock), so the figure is the
 * store's event count over the time, not the count `rebuildProjections` returns.
 */
export async function measureRebuild(env: BenchEnvironment): Promise<RebuildFigures> {
  const store = await createEventStore(env.db.url, { poolSize: 2, applicationName: 'baton-bench-rebuild' });
  try {
    const { rows } = await env.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const events = Number(rows[0]!.n);
    const started = process.hrtime.bigint();
    await rebuildProjections(store, { timeoutMs: 600_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { events, seconds: Math.round(seconds * 1000) / 1000, eventsPerSecond: Math.round(events / seconds) };
  } finally {
    await store.close();
  }
}

/** The orchestrator's memory after one wave of the memory run. */
export interface MemoryWave { casesSoFar: number; peakRssMiB: number | null; rssMiB: number | null; seconds: number }

/** `--memory-cases`: the first orchestrator's peak RSS as cases accumulate, in waves of `--cases`. */
export interface MemoryFigures {
  waves: MemoryWave[];
  /** Peak RSS after the last wave ÷ after the first: 1.00 is flat (target within ±10 %). */
  growth: number | null;
}

/**
 * Sends `total` cases to Baton alone in waves of `wave` (each wave all at once, the next once it
 * ended and drained), and reads the orchestrator's peak RSS (`VmHWM`) after each: a state that
 * grows with the number of cases handled shows as a peak that keeps rising from wave to wave.
 * @throws Error when a wave does not end within `timeoutMs`
 */
export async function measureMemory(env: BenchEnvironment, sender: TriggerSender, o: { total: number; wave: number; timeoutMs: number }, say: (line: string) => void): Promise<MemoryFigures> {
  const pid = env.orchestrator.child?.pid;
  const waves: MemoryWave[] = [];
  for (let sent = 0; sent < o.total; sent += o.wave) {
    const keys = Array.from({ length: Math.min(o.wave, o.total - sent) }, (_, i) => `mem-${sent + i}`);
    const started = Date.now();
    const ids = await sender.burst(keys);
    if ((await waitForCases(env.pool, ids, o.timeoutMs)).timedOut) throw new Error(`memory wave of ${keys.length} cases after ${sent} did not end within ${o.timeoutMs} ms`);
    await waitForDrain(env.pool, ids, 60000);
    const w = { casesSoFar: sent + keys.length, peakRssMiB: pid ? peakRssMiB(pid) : null, rssMiB: pid ? rssMiB(pid) : null, seconds: Math.round((Date.now() - started) / 100) / 10 };
    waves.push(w);
    say(`memory: ${w.casesSoFar} cases, orchestrator peak RSS ${w.peakRssMiB} MiB, RSS ${w.rssMiB} MiB (${w.seconds} s)`);
  }
  const first = waves[0]?.peakRssMiB;
  const last = waves[waves.length - 1]?.peakRssMiB;
  return { waves, growth: first && last ? Math.round((last / first) * 100) / 100 : null };
}

/** `--scale-out`: the processes, and the event store's verdict on whether a case was handled by two orchestrators at once. */
export interface ScaleOutFigures { orchestrators: number; workers: number; check: DoubleHandlingCheck }

/** Reads every event's writer for `caseIds` and judges them ({@link readDoubleHandling}). */
export async function measureScaleOut(env: BenchEnvironment, caseIds: readonly string[]): Promise<ScaleOutFigures> {
  return { orchestrators: env.orchestrators.length, workers: env.workers.length, check: await readDoubleHandling(env.pool, caseIds) };
}
