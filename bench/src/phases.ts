import type { RawCase } from './baseline';
import { BENCH_APPLICATION_NAME, type BenchEnvironment } from './environment';
import { batonLatencies, rawLatencies, readCaseEvents, readPublishedAt } from './measure';
import { CpuMeter } from './proc';
import type { PhaseResult } from './report';
import type { HandledAt } from './worker/noop.step';
import { paced, waitForCases, waitForDrain, type TriggerSender } from './workload';

/** A phase as run: what its analysis needs once the worker has reported its attempt times. */
export interface PhaseRun {
  kind: PhaseResult['kind'];
  ratePerSecond: number | null;
  caseIds: string[];
  timedOut: boolean;
  /** When the orchestrator had published everything and the projections had caught up (epoch ms), or null. */
  drainedAt: number | null;
  batonCpu: { orchestrator: number; worker: number; postgres: number };
  rawCases: RawCase[];
  rawCpu: { originator: number; echo: number };
}

type Proc = { child: { pid?: number } | null };
const pidOf = (p: Proc): number[] => (p.child?.pid ? [p.child.pid] : []);
const pidsOf = (ps: readonly Proc[]): number[] => ps.flatMap(pidOf);

/** Pids of the Postgres backends serving the benchmark's database, except the benchmark's own connections. */
async function postgresBackends(env: BenchEnvironment): Promise<number[]> {
  const { rows } = await env.pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1', [BENCH_APPLICATION_NAME]);
  return rows.map((r) => r.pid);
}

/** CPU each process used while nothing was sent, as % of one core: the cost of the polling loops. */
export interface IdleCpu { orchestrator: number; worker: number; echo: number; postgres: number; seconds: number }

/** Measures {@link IdleCpu} over `seconds` of silence. */
export async function measureIdle(env: BenchEnvironment, seconds: number): Promise<IdleCpu> {
  const backends = await postgresBackends(env);
  const meters = {
    orchestrator: new CpuMeter(() => pidsOf(env.orchestrators)), worker: new CpuMeter(() => pidsOf(env.workers)),
    echo: new CpuMeter(() => pidOf(env.echo)), postgres: new CpuMeter(() => backends),
  };
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const pctOfCore = (m: CpuMeter) => Math.round((m.elapsed() / seconds) * 1000) / 10;
  return { orchestrator: pctOfCore(meters.orchestrator), worker: pctOfCore(meters.worker), echo: pctOfCore(meters.echo), postgres: pctOfCore(meters.postgres), seconds };
}

/** Options shared by the phases. */
export interface PhaseOptions { cases: number; timeoutMs: number; ratePerSecond?: number; prefix: string }

/**
 * Runs one phase under the same load on both sides: all cases at once (`ratePerSecond` absent), or
 * started at `ratePerSecond`. A burst runs the baseline, then Baton. A paced phase alternates
 * blocks of about 5 s (baseline block, Baton block, ...), each side's block ending before the
 * other's starts, so that both sample the same moments of a noisy machine. CPU is measured around
 * each block (Baton's until the outbox is published and the projections caught up) and summed.
 */
export async function runPhase(env: BenchEnvironment, sender: TriggerSender, o: PhaseOptions): Promise<PhaseRun> {
  const keys = Array.from({ length: o.cases }, (_, i) => `${o.prefix}-${i}`);
  const rate = o.ratePerSecond;
  const blockSize = rate === undefined ? keys.length : Math.max(1, Math.round(rate * 5));
  const run: PhaseRun = {
    kind: rate === undefined ? 'burst' : 'paced', ratePerSecond: rate ?? null, caseIds: [], timedOut: false, drainedAt: null,
    batonCpu: { orchestrator: 0, worker: 0, postgres: 0 }, rawCases: [], rawCpu: { originator: 0, echo: 0 },
  };
  for (let first = 0; first < keys.length && !run.timedOut; first += blockSize) {
    const block = keys.slice(first, first + blockSize);
    await rawBlock(env, block, rate, run);
    await batonBlock(env, sender, block, rate, o.timeoutMs, run);
  }
  const r2 = (v: number) => Math.round(v * 100) / 100;
  run.batonCpu = { orchestrator: r2(run.batonCpu.orchestrator), worker: r2(run.batonCpu.worker), postgres: r2(run.batonCpu.postgres) };
  run.rawCpu = { originator: r2(run.rawCpu.originator), echo: r2(run.rawCpu.echo) };
  return run;
}

/** The baseline's part of a block: the benchmark process is the originator, the echo child answers. */
async function rawBlock(env: BenchEnvironment, keys: readonly string[], rate: number | undefined, run: PhaseRun): Promise<void> {
  const echoCpu = new CpuMeter(() => pidOf(env.echo));
  const ownBefore = process.cpuUsage();
  run.rawCases.push(...(rate === undefined
    ? await Promise.all(keys.map((k) => env.raw.runCase(k)))
    : await paced(keys.length, rate, (i) => env.raw.runCase(keys[i]!))));
  const own = process.cpuUsage(ownBefore);
  run.rawCpu.originator += (own.user + own.system) / 1e6;
  run.rawCpu.echo += echoCpu.elapsed();
}

/** Baton's part of a block: triggers from this process; the orchestrator and the worker are children. */
async function batonBlock(env: BenchEnvironment, sender: TriggerSender, keys: readonly string[], rate: number | undefined, timeoutMs: number, run: PhaseRun): Promise<void> {
  let backends = await postgresBackends(env);
  const orchestratorCpu = new CpuMeter(() => pidsOf(env.orchestrators));
  const workerCpu = new CpuMeter(() => pidsOf(env.workers));
  const postgresCpu = new CpuMeter(() => backends);
  const offset = run.caseIds.length;
  const caseIds = rate === undefined
    ? await sender.burst(keys)
    : await paced(keys.length, rate, (i) => sender.one(keys[i]!, offset + i));
  run.caseIds.push(...caseIds);
  const ended = await waitForCases(env.pool, caseIds, timeoutMs);
  run.timedOut = ended.timedOut;
  run.drainedAt = ended.timedOut ? null : await waitForDrain(env.pool, caseIds, 60000);
  backends = [...new Set([...backends, ...(await postgresBackends(env))])];
  run.batonCpu.orchestrator += orchestratorCpu.elapsed();
  run.batonCpu.worker += workerCpu.elapsed();
  run.batonCpu.postgres += postgresCpu.elapsed();
}

/** Turns a phase run into its figures, from the events table and the worker's attempt times. */
export async function analyzePhase(env: BenchEnvironment, sender: TriggerSender, run: PhaseRun, handled: readonly HandledAt[]): Promise<PhaseResult> {
  const events = await readCaseEvents(env.pool, run.caseIds);
  const publishedAt = await readPublishedAt(env.pool, env.catalog, run.caseIds, env.topics.step('noop'));
  const baton = batonLatencies({ caseIds: run.caseIds, requestedAt: sender.requestedAt, events, handled, publishedAt });
  const raw = rawLatencies(run.rawCases);
  const perCase = (seconds: number, cases: number) => (cases > 0 ? Math.round((seconds * 1000 * 10) / cases) / 10 : null);
  // Paced blocks alternate, so a paced window holds the other side's blocks too: its rate is the offered one, not a capacity.
  const paced = run.kind === 'paced' ? { casesPerSecond: null, stepsPerSecond: null, roundTripsPerSecond: null } : {};
  return {
    kind: run.kind, cases: run.caseIds.length, ratePerSecond: run.ratePerSecond,
    baton: {
      ...baton, ...paced, timedOut: run.timedOut,
      resources: {
        orchestratorCpuSeconds: run.batonCpu.orchestrator, workerCpuSeconds: run.batonCpu.worker, postgresCpuSeconds: run.batonCpu.postgres,
        orchestratorCpuMsPerCase: perCase(run.batonCpu.orchestrator, baton.completed),
        workerCpuMsPerCase: perCase(run.batonCpu.worker, baton.completed),
        postgresCpuMsPerCase: perCase(run.batonCpu.postgres, baton.completed),
        drainSeconds: run.drainedAt !== null && baton.lastCompletedAt !== null ? Math.round(run.drainedAt - baton.lastCompletedAt) / 1000 : null,
      },
    },
    raw: {
      ...raw, ...paced,
      resources: { originatorCpuSeconds: run.rawCpu.originator, echoCpuSeconds: run.rawCpu.echo, cpuMsPerCase: perCase(run.rawCpu.originator + run.rawCpu.echo, raw.cases) },
    },
  };
}
