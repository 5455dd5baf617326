import { cpuSeconds, peakRssMiB } from '../proc';
import { perSecond, summarize, type Summary } from '../stats';
import { paced } from '../workload';
import type { Peer } from './peer';

/** What one peer gave, for `latest.json`; `status` says whether the figures exist. */
export interface PeerResult {
  name: string;
  /** Whether every completed case was on disk (false: the Temporal dev server's in-memory default). */
  durable: boolean;
  /** `measured` (`reason` then notes a phase that timed out); `not measured` (cannot be installed or started here); `failed` (started, then broke mid-run). */
  status: 'measured' | 'not measured' | 'failed';
  reason: string | null;
  setup: string | null;
  burst: PeerPhase | null;
  paced: (PeerPhase & { ratePerSecond: number }) | null;
  /** Sum of `VmHWM` over the peer's server and worker processes, MiB. */
  peakRssMiB: number | null;
}

/** One phase of a peer. Latency is start -> end of a case as the benchmark process sees it, ms. */
export interface PeerPhase {
  cases: number;
  completed: number;
  /** It did not end within the phase's timeout: the figures are of the cases that ended by then. */
  timedOut: boolean;
  /** Burst only: completed cases / (first start -> last end); null in the paced phase (its rate is the offered one). */
  casesPerSecond: number | null;
  caseLatencyMs: Summary;
  /** CPU of every process of the peer, ms per completed case, and the same by role (`server`, `worker`, ...). */
  cpuMsPerCase: number | null;
  cpuMsPerCaseByRole: Record<string, number | null>;
}

/** Options of a peer's run: the same N, paced count and rate as Baton's phases. */
export interface PeerRunOptions { cases: number; pacedCases: number; ratePerSecond: number; warmup: number; timeoutMs: number }

/** One case as the benchmark saw it: started (epoch ms), ended (epoch ms) or failed. */
interface TimedCase { startedAt: number; endedAt: number | null }

/**
 * CPU seconds used between two samples of `/proc/<pid>/stat`: the sum over the pids of `after`
 * of (after − before), a pid absent from `before` counting from 0 (it started in between).
 * A pid gone by `after` is not counted (its last ticks are lost), so this can undercount.
 * @param before - pid → CPU seconds at the start
 * @param after - pid → CPU seconds at the end
 * @returns seconds, rounded to 10 ms
 */
export function cpuUsed(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return Math.round(total * 100) / 100;
}

/** Milliseconds of CPU per case, one decimal; null for no case. */
export function msPerCase(cpuSecondsUsed: number, cases: number): number | null {
  return cases > 0 ? Math.round((cpuSecondsUsed * 10000) / cases) / 10 : null;
}

/** CPU seconds of each of the peer's processes now, by role. */
async function sampleCpu(peer: Peer): Promise<Map<string, Map<number, number>>> {
  const sample = new Map<string, Map<number, number>>();
  for (const [role, pids] of Object.entries(await peer.cpuPids())) {
    const byPid = new Map<number, number>();
    for (const pid of pids) {
      const s = cpuSeconds(pid);
      if (s !== null) byPid.set(pid, s);
    }
    sample.set(role, byPid);
  }
  return sample;
}

/** {@link cpuUsed} per role, ms per case; roles in the order of `after`. */
function cpuByRole(before: Map<string, Map<number, number>>, after: Map<string, Map<number, number>>, cases: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [role, pids] of after) out[role] = msPerCase(cpuUsed(before.get(role) ?? new Map(), pids), cases);
  return out;
}

async function timed(peer: Peer, key: string): Promise<TimedCase> {
  const startedAt = Date.now();
  try {
    await peer.runCase(key);
    return { startedAt, endedAt: Date.now() };
  } catch {
    return { startedAt, endedAt: null };
  }
}

/** Runs `work` but gives up after `ms` (the warm-up). @throws Error naming `what` */
async function within<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, failed) => { timer = setTimeout(() => failed(new Error(`${what} did not end within ${ms / 1000} s`)), ms); });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A phase's cases and the CPU the peer's processes used meanwhile, ms per completed case by role.
 * At `timeoutMs` it stops waiting and counts the cases that ended by then (`timedOut`); the rest
 * are abandoned (they end when the peer is stopped).
 */
async function phase(peer: Peer, timeoutMs: number, start: (track: (c: Promise<TimedCase>) => Promise<TimedCase>) => Promise<TimedCase[]>) {
  const before = await sampleCpu(peer);
  const ended: TimedCase[] = [];
  const startedAt: number[] = [];
  const track = (c: Promise<TimedCase>) => c.then((t) => { ended.push(t); return t; });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  const all = start((c) => { startedAt.push(Date.now()); return track(c); });
  const timedOut = (await Promise.race([all, limit])) === 'timeout';
  clearTimeout(timer);
  const after = await sampleCpu(peer);
  const done = ended.filter((c): c is { startedAt: number; endedAt: number } => c.endedAt !== null);
  const byRole = cpuByRole(before, after, done.length);
  const total = Object.values(byRole).some((v) => v === null) ? null : Math.round(Object.values(byRole).reduce<number>((a, b) => a + (b ?? 0), 0) * 10) / 10;
  return { firstStart: Math.min(...startedAt), done, timedOut, cpuMsPerCase: total, cpuMsPerCaseByRole: byRole, latency: summarize(done.map((c) => c.endedAt - c.startedAt)) };
}

/**
 * Measures one peer the way Baton is measured: warm-up, then `cases` started at once (cases/s from
 * the first start to the last end, CPU per case), then `pacedCases` at `ratePerSecond` (case
 * latency, start → end as the benchmark process sees it), then peak memory. A peer that is not
 * installed, or does not start, gives a `not measured` result with the reason, never an exception.
 * @param progress - called with a line per stage
 */
export async function measurePeer(peer: Peer, o: PeerRunOptions, progress: (line: string) => void): Promise<PeerResult> {
  const result: PeerResult = { name: peer.name, durable: peer.durable, status: 'not measured', reason: peer.missing(), setup: null, burst: null, paced: null, peakRssMiB: null };
  if (result.reason !== null) return result;
  try {
    progress(`${peer.name}: starting`);
    try {
      await peer.start();
    } catch (error) {
      result.reason = `did not start: ${firstLine(error)}`;
      return result;
    }
    result.setup = peer.setup();
    progress(`${peer.name}: warm-up, ${o.warmup} cases`);
    await within('the warm-up', o.timeoutMs, Promise.all(Array.from({ length: o.warmup }, (_, i) => peer.runCase(`warm-${i}`))));
    progress(`${peer.name}: burst, ${o.cases} cases at once`);
    const burst = await phase(peer, o.timeoutMs, (track) => Promise.all(Array.from({ length: o.cases }, (_, i) => track(timed(peer, `burst-${i}`)))));
    result.burst = {
      cases: o.cases, completed: burst.done.length, timedOut: burst.timedOut,
      casesPerSecond: perSecond(burst.done.length, burst.firstStart, Math.max(...burst.done.map((c) => c.endedAt))),
      caseLatencyMs: burst.latency, cpuMsPerCase: burst.cpuMsPerCase, cpuMsPerCaseByRole: burst.cpuMsPerCaseByRole,
    };
    if (burst.timedOut) {
      result.reason = `the burst did not end within ${o.timeoutMs / 1000} s (${burst.done.length}/${o.cases} completed; cases/s from those); paced phase skipped, the backlog would be in it`;
    } else if (o.pacedCases > 0) {
      progress(`${peer.name}: paced, ${o.pacedCases} cases at ${o.ratePerSecond}/s`);
      const p = await phase(peer, o.timeoutMs, (track) => paced(o.pacedCases, o.ratePerSecond, (i) => track(timed(peer, `paced-${i}`))));
      result.paced = {
        cases: o.pacedCases, completed: p.done.length, timedOut: p.timedOut, ratePerSecond: o.ratePerSecond, casesPerSecond: null,
        caseLatencyMs: p.latency, cpuMsPerCase: p.cpuMsPerCase, cpuMsPerCaseByRole: p.cpuMsPerCaseByRole,
      };
      if (p.timedOut) result.reason = `the paced phase did not end within ${o.timeoutMs / 1000} s (${p.done.length}/${o.pacedCases} completed)`;
    }
    const rss = peer.memoryPids().map(peakRssMiB);
    result.peakRssMiB = rss.every((v) => v !== null) ? rss.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
    result.status = 'measured';
  } catch (error) {
    result.status = 'failed';
    result.reason = firstLine(error);
  } finally {
    progress(`${peer.name}: stopping`);
    await peer.stop();
  }
  return result;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}
