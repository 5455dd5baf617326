import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEnvironment, type BenchEnvironment } from './environment';
import { measureMemory, measureRebuild, measureScaleOut } from './extras';
import { runPeers } from './peers';
import { analyzePhase, measureIdle, runPhase, type PhaseRun } from './phases';
import { loadAverage, machineInfo, peakRssMiB } from './proc';
import { computeRatios, renderMarkdown, type BenchResults } from './report';
import { TriggerSender, waitForCases, waitForDrain } from './workload';

/** Command-line options (`npm run bench -- --cases 200`). */
export interface BenchOptions {
  cases: number;
  /** Cases of the latency phase; default: 20 s worth at the paced rate, between 20 and `cases`; 0 skips the phase. */
  pacedCases?: number;
  /** Paced rate, cases/s; default 5: low enough that neither side queues on 2 shared cores, and fixed so runs compare. */
  rate?: number;
  warmup: number;
  timeoutSeconds: number;
  /** `--peers`: after Baton's phases, the same workload on Restate, DBOS and Temporal. */
  peers: boolean;
  /** `--peers-only`: the peers without Baton's and the baseline's phases (to work on a peer). */
  peersOnly: boolean;
  /** `--scale-out`: 2 orchestrator processes and 2 step workers; results in `scale-out.{json,md}`. */
  scaleOut: boolean;
  /** `--memory-cases N`: after the phases, Baton alone for N more cases in waves of `cases`, the orchestrator's peak RSS after each; results in `memory.{json,md}`. */
  memoryCases?: number;
}

const FLAGS = '--cases N, --paced-cases N, --rate R (cases/s), --warmup N, --timeout-s S, --memory-cases N, --peers, --peers-only, --scale-out';
const SWITCHES = ['--peers', '--peers-only', '--scale-out'];

/** Parses the flags ({@link FLAGS}). @throws Error naming a bad flag */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { cases: 2000, warmup: 20, timeoutSeconds: 240, peers: false, peersOnly: false, scaleOut: false };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    if (SWITCHES.includes(flag)) {
      if (flag === '--peers') o.peers = true; else if (flag === '--peers-only') o.peersOnly = true; else o.scaleOut = true;
      i -= 1;
      continue;
    }
    if (!['--cases', '--paced-cases', '--rate', '--warmup', '--timeout-s', '--memory-cases'].includes(flag)) throw new Error(`unknown flag ${flag}; flags: ${FLAGS}`);
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a non-negative number, got '${argv[i + 1] ?? ''}'`);
    switch (flag) {
      case '--cases': o.cases = Math.max(1, Math.floor(value)); break;
      case '--paced-cases': o.pacedCases = Math.floor(value); break;
      case '--rate': o.rate = value; break;
      case '--warmup': o.warmup = Math.floor(value); break;
      case '--memory-cases': o.memoryCases = Math.floor(value); break;
      default: o.timeoutSeconds = value;
    }
  }
  return o;
}

/** The paced rate (cases/s) and paced case count the options give. */
export function pacing(o: BenchOptions): { rate: number; pacedCases: number } {
  const rate = o.rate ?? 5;
  return { rate, pacedCases: o.pacedCases ?? clamp(Math.round(rate * 20), 20, o.cases) };
}

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

async function run(env: BenchEnvironment, o: BenchOptions, started: number): Promise<BenchResults> {
  const machine = machineInfo();
  const sender = new TriggerSender(env.producer, env.catalog, env.topics);
  const timeoutMs = o.timeoutSeconds * 1000;

  say(`warm-up: ${o.warmup} cases on each side (connections, group joins, JIT)`);
  await Promise.all(Array.from({ length: o.warmup }, (_, i) => env.raw.runCase(`warm-${i}`)));
  const warm = await sender.burst(Array.from({ length: o.warmup }, (_, i) => `warm-${i}`));
  if ((await waitForCases(env.pool, warm, 120000)).timedOut) throw new Error(`the ${o.warmup} warm-up cases did not end within 120 s:\n${env.orchestrator.log.slice(-3000)}`);
  await waitForDrain(env.pool, warm, 60000);
  say('idle CPU: 5 s with nothing sent');
  const idleCpuPercent = await measureIdle(env, 5);

  say(`throughput phase: ${o.cases} cases at once, raw baseline first, then Baton`);
  const runs: PhaseRun[] = [await runPhase(env, sender, { cases: o.cases, timeoutMs, prefix: 'burst' })];

  const { rate, pacedCases } = pacing(o);
  if (pacedCases > 0) {
    say(`latency phase: ${pacedCases} cases at ${rate}/s, in alternating ~5 s blocks (raw baseline, Baton, ...)`);
    runs.push(await runPhase(env, sender, { cases: pacedCases, timeoutMs, ratePerSecond: rate, prefix: 'paced' }));
  }

  const peak = (p: { child: { pid?: number } | null }) => (p.child?.pid ? peakRssMiB(p.child.pid) : null);
  const peakMemoryMiB = { orchestrator: peak(env.orchestrator), worker: peak(env.worker), echo: peak(env.echo), bench: peakRssMiB(process.pid) };
  say('projection rebuild: every event of the run, from scratch');
  const rebuild = await measureRebuild(env);
  say(`projection rebuild: ${rebuild.events} events in ${rebuild.seconds} s (${rebuild.eventsPerSecond} events/s)`);
  const memory = o.memoryCases ? await measureMemory(env, sender, { total: o.memoryCases, wave: o.cases, timeoutMs }, say) : undefined;
  const handled = await env.stopWorker();
  const phases = [];
  for (const r of runs) phases.push(await analyzePhase(env, sender, r, handled));
  const scaleOut = o.scaleOut ? await measureScaleOut(env, [...warm, ...runs.flatMap((r) => r.caseIds)]) : undefined;
  const burst = phases.find((p) => p.kind === 'burst');
  const pacedPhase = phases.find((p) => p.kind === 'paced');
  return {
    date: new Date(started).toISOString(),
    machine: { ...machine, loadAverageEnd: loadAverage() },
    options: { cases: o.cases, pacedCases, warmupCases: o.warmup },
    phases,
    ratios: computeRatios(burst, pacedPhase),
    idleCpuPercent,
    peakMemoryMiB,
    rebuild,
    ...(memory ? { memory } : {}),
    ...(scaleOut ? { scaleOut } : {}),
    runSeconds: Math.round((Date.now() - started) / 1000),
    notes: [
      'Processes: the orchestrator (services/orchestrator/src/main.ts, BATON_PROJECTOR=true, default settings) and the step worker (real @baton/step-sdk, ' +
        'StepModule.forRoot defaults, one @StepHandler(\'noop\')) are child processes; the baseline\'s echo responder is a child process too; triggers and the baseline originator run in the benchmark process.',
      'Times are the events\' own (the decider\'s clock, Date.now in the orchestrator) and the trigger\'s requestedAt; all processes share one clock. ' +
        'StepCompleted and the StepScheduled it unblocks are decided in one transaction with one `now`, so the orchestration gap is 0 by construction: ' +
        'the orchestrator\'s cost shows in the dispatch and result legs.',
      `Latency ratios come from the paced phase (${rate} cases/s, baseline and Baton in alternating ~5 s blocks); ` +
        'throughput and CPU ratios from the burst phase (baseline, then Baton). In the burst phase latencies are mostly queueing.',
      `The machine is shared: load average ${machine.loadAverageStart} at start on ${machine.cores} cores. Compare ratios across runs, not absolute figures.`,
    ],
  };
}

/** Baton's and the baseline's phases in their own environment, stopped and cleaned up before returning. */
async function runBaton(options: BenchOptions, started: number): Promise<BenchResults> {
  const env = await createEnvironment(say, options.scaleOut ? { orchestrators: 2, workers: 2 } : { orchestrators: 1, workers: 1 });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= env.close());
  const onInterrupt = () => { say('interrupted: cleaning up'); void close().finally(() => process.exit(130)); };
  process.once('SIGINT', onInterrupt);
  try {
    return await run(env, options, started);
  } finally {
    say('stopping the processes, dropping the database, deleting the topics');
    await close();
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** What `--peers-only` reports in place of Baton's phases: none, with the machine and the options. */
function withoutBaton(o: BenchOptions, started: number): BenchResults {
  return {
    date: new Date(started).toISOString(), machine: machineInfo(),
    options: { cases: o.cases, pacedCases: pacing(o).pacedCases, warmupCases: o.warmup }, phases: [],
    ratios: computeRatios(undefined, undefined), idleCpuPercent: null,
    peakMemoryMiB: { orchestrator: null, worker: null, echo: null, bench: null }, runSeconds: 0,
    notes: ['--peers-only: Baton\'s and the baseline\'s phases did not run.'],
  };
}

/** The results files' base name in `bench/results/`: `scale-out`, `memory`, else `latest`. */
export function resultsName(o: BenchOptions): string {
  return o.scaleOut ? 'scale-out' : o.memoryCases ? 'memory' : 'latest';
}

/** Writes `bench/results/<name>.json` and `<name>.md`; returns the Markdown. */
function writeResults(results: BenchResults, name: string): string {
  const dir = resolve(__dirname, '../results');
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(results);
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), markdown);
  return markdown;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results = options.peersOnly ? withoutBaton(options, started) : await runBaton(options, started);
  if (options.peers || options.peersOnly) {
    if (!options.peersOnly) writeResults(results, resultsName(options)); // Baton's figures are kept should a peer bring the process down.
    const { rate, pacedCases } = pacing(options);
    say('peers: Restate, DBOS, Temporal, one after the other, with the same workload');
    results.peers = await runPeers({ cases: options.cases, pacedCases, ratePerSecond: rate, warmup: options.warmup, timeoutMs: options.timeoutSeconds * 1000 }, say);
    results.machine.loadAverageEnd = loadAverage();
    results.runSeconds = Math.round((Date.now() - started) / 1000);
  }
  const name = resultsName(options);
  const markdown = writeResults(results, name);
  process.stdout.write(`${markdown}\nbench: wrote bench/results/${name}.json and bench/results/${name}.md\n`);
}

if (require.main === module) {
  main().then(() => process.exit(0), (error: unknown) => {
    say(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
}
