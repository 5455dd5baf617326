import type { BatonLatencies, RawLatencies } from './measure';
import type { MemoryFigures, RebuildFigures, ScaleOutFigures } from './extras';
import type { IdleCpu } from './phases';
import { renderPeers, type PeersSection } from './peers';
import type { MachineInfo } from './proc';
import { ratio, type Summary } from './stats';
import { CRITICAL_PATH_HOPS, STEP_IDS } from './workload';

/** CPU and drain figures of a Baton phase. CPU seconds are user + system from `/proc/<pid>/stat`. */
export interface BatonResources {
  orchestratorCpuSeconds: number | null;
  workerCpuSeconds: number | null;
  /** Postgres backends connected to the benchmark's database, other than the benchmark's own (approximate: a backend that closed mid-phase is missed). */
  postgresCpuSeconds: number | null;
  orchestratorCpuMsPerCase: number | null;
  workerCpuMsPerCase: number | null;
  postgresCpuMsPerCase: number | null;
  /** Last `CaseCompleted` -> every outbox row published and the projections showing every case ended, s. */
  drainSeconds: number | null;
}

/** CPU figures of a baseline phase. */
export interface RawResources {
  /** The benchmark process while it ran only the baseline originator. */
  originatorCpuSeconds: number | null;
  echoCpuSeconds: number | null;
  cpuMsPerCase: number | null;
}

/** One phase: Baton and the baseline under the same load. */
export interface PhaseResult {
  /** `burst`: every case sent at once; `paced`: cases started at `ratePerSecond`. */
  kind: 'burst' | 'paced';
  cases: number;
  ratePerSecond: number | null;
  baton: BatonLatencies & { resources: BatonResources; timedOut: boolean };
  raw: RawLatencies & { resources: RawResources };
}

/** The ratios the report leads with: Baton's cost over the raw baseline's, so above 1 means Baton costs more. */
export interface Ratios {
  /** Paced: Baton step dispatch -> result p50 / raw round trip p50. How many raw round trips one Baton step hop costs. */
  hopLatencyP50: number | null;
  hopLatencyP99: number | null;
  /** Paced: Baton case p50 / raw case p50 (same shape, same rate). */
  caseLatencyP50: number | null;
  caseLatencyP99: number | null;
  /** Paced: Baton case p50 / (critical-path hops x raw round trip p50): the case against the Kafka floor of its critical path. */
  caseVsKafkaFloorP50: number | null;
  /** Burst: raw cases/s / Baton cases/s. How many times longer Baton takes per case at saturation. */
  throughput: number | null;
  /** Burst: (orchestrator + worker CPU per case) / (originator + echo CPU per raw case). */
  cpuPerCase: number | null;
  /** Paced: Baton step dispatch -> result p50 minus raw round trip p50, ms: what Baton adds to each hop. */
  hopOverheadMsP50: number | null;
}

/** Everything a run produced: what `latest.json` holds. */
export interface BenchResults {
  date: string;
  machine: MachineInfo;
  options: { cases: number; pacedCases: number; warmupCases: number };
  phases: PhaseResult[];
  ratios: Ratios;
  /** CPU while idle, % of one core, measured after the warm-up. */
  idleCpuPercent: IdleCpu | null;
  peakMemoryMiB: { orchestrator: number | null; worker: number | null; echo: number | null; bench: number | null };
  runSeconds: number;
  notes: string[];
  /** `--peers`: the same workload on Restate, DBOS and Temporal. */
  peers?: PeersSection;
  /** The projections rebuilt from scratch over every event of the run (target ≥ 50,000 events/s). */
  rebuild?: RebuildFigures;
  /** `--memory-cases`: the orchestrator's peak RSS wave after wave (target flat, ±10 %). */
  memory?: MemoryFigures;
  /** `--scale-out`: two orchestrators and two workers, and whether a case was handled by two at once. */
  scaleOut?: ScaleOutFigures;
}

/** The headline ratios from the burst (throughput, CPU) and paced (latency) phases; null where a phase is missing. */
export function computeRatios(burst: PhaseResult | undefined, paced: PhaseResult | undefined): Ratios {
  const cpuPerCase = (p: PhaseResult | undefined) => {
    if (!p) return { baton: null, raw: null };
    const b = p.baton.resources;
    const r = p.raw.resources;
    return {
      baton: b.orchestratorCpuMsPerCase === null || b.workerCpuMsPerCase === null ? null : b.orchestratorCpuMsPerCase + b.workerCpuMsPerCase,
      raw: r.cpuMsPerCase,
    };
  };
  const cpu = cpuPerCase(burst);
  const rtt = paced?.raw.roundTripMs.p50 ?? null;
  const hop = paced?.baton.dispatchToResultMs.p50 ?? null;
  return {
    hopLatencyP50: ratio(hop, rtt),
    hopLatencyP99: ratio(paced?.baton.dispatchToResultMs.p99, paced?.raw.roundTripMs.p99),
    caseLatencyP50: ratio(paced?.baton.caseLatencyMs.p50, paced?.raw.caseLatencyMs.p50),
    caseLatencyP99: ratio(paced?.baton.caseLatencyMs.p99, paced?.raw.caseLatencyMs.p99),
    caseVsKafkaFloorP50: ratio(paced?.baton.caseLatencyMs.p50, rtt === null ? null : CRITICAL_PATH_HOPS * rtt),
    throughput: ratio(burst?.raw.casesPerSecond, burst?.baton.casesPerSecond),
    cpuPerCase: ratio(cpu.baton, cpu.raw),
    hopOverheadMsP50: hop === null || rtt === null ? null : Math.round((hop - rtt) * 10) / 10,
  };
}

const f = (v: number | null | undefined, digits = 1): string => (v == null ? '–' : v.toFixed(digits));
const pct = (s: Summary): string => (s.count === 0 ? '–' : `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)}`);
const p5099 = (s: Summary): string => (s.count === 0 ? '–' : `${f(s.p50)} / ${f(s.p99)}`);
const x = (v: number | null): string => (v === null ? '–' : `${v.toFixed(2)}×`);

function phaseTable(p: PhaseResult): string[] {
  const b = p.baton;
  const r = p.raw;
  const br = b.resources;
  const rr = r.resources;
  const title = p.kind === 'burst'
    ? `## Throughput phase: ${p.cases} cases sent at once`
    : `## Latency phase: ${p.cases} cases started at ${f(p.ratePerSecond)}/s, in alternating ~5 s blocks (baseline, Baton, ...)`;
  const lines = [
    title, '',
    '| figure | Baton | raw kafkajs baseline | Baton ÷ raw |',
    '|---|---:|---:|---:|',
    `| cases completed | ${b.completed}/${b.cases}${b.failed ? ` (${b.failed} failed)` : ''}${b.timedOut ? ' TIMED OUT' : ''} | ${r.cases}/${r.cases} | |`,
    ...(p.kind === 'burst' ? [
      `| cases/s (first trigger → last case completed) | ${f(b.casesPerSecond)} | ${f(r.casesPerSecond)} | ${x(ratio(b.casesPerSecond, r.casesPerSecond))} |`,
      `| step round trips/s | ${f(b.stepsPerSecond)} | ${f(r.roundTripsPerSecond)} | ${x(ratio(b.stepsPerSecond, r.roundTripsPerSecond))} |`,
    ] : [`| offered rate, cases/s (blocks of ~5 s, alternating) | ${f(p.ratePerSecond)} | ${f(p.ratePerSecond)} | |`]),
    `| case latency p50 / p95 / p99, ms | ${pct(b.caseLatencyMs)} | ${pct(r.caseLatencyMs)} | ${x(ratio(b.caseLatencyMs.p50, r.caseLatencyMs.p50))} (p50) |`,
    `| step hop p50 / p95 / p99, ms (Baton: StepScheduled → StepCompleted; raw: ping → pong) | ${pct(b.dispatchToResultMs)} | ${pct(r.roundTripMs)} | ${x(ratio(b.dispatchToResultMs.p50, r.roundTripMs.p50))} (p50) |`,
    `| · dispatch leg p50 / p99 (StepScheduled → handler ran) | ${p5099(b.dispatchLegMs)} | | |`,
    `| · · relay p50 / p99 (StepScheduled → outbox row marked sent) | ${p5099(b.relayLegMs)} | | |`,
    `| · · delivery p50 / p99 (marked sent → handler ran) | ${p5099(b.deliveryLegMs)} | | |`,
    `| · result leg p50 / p99 (handler ran → StepCompleted) | ${p5099(b.resultLegMs)} | | |`,
    `| orchestration gap p50 / p99 (StepCompleted → next StepScheduled) | ${p5099(b.completedToNextScheduledMs)} | | |`,
    `| trigger → CaseStarted p50 / p99 | ${p5099(b.triggerToStartMs)} | | |`,
    `| last StepCompleted → CaseCompleted p50 / p99 | ${p5099(b.lastStepToCaseCompletedMs)} | | |`,
    `| step hop p50 by step (a / b / c / d / e) | ${STEP_IDS.map((s) => f(b.dispatchToResultByStepMs[s].p50)).join(' / ')} | | |`,
    `| CPU s: orchestrator / step worker / its Postgres backends ≈ | ${f(br.orchestratorCpuSeconds, 2)} / ${f(br.workerCpuSeconds, 2)} / ${f(br.postgresCpuSeconds, 2)} | originator ${f(rr.originatorCpuSeconds, 2)} / echo ${f(rr.echoCpuSeconds, 2)} | |`,
    `| CPU ms per case (Baton: orchestrator + worker [+ Postgres]) | ${f(br.orchestratorCpuMsPerCase)} + ${f(br.workerCpuMsPerCase)} [+ ${f(br.postgresCpuMsPerCase)}] | ${f(rr.cpuMsPerCase)} | ${x(ratio(br.orchestratorCpuMsPerCase === null || br.workerCpuMsPerCase === null ? null : br.orchestratorCpuMsPerCase + br.workerCpuMsPerCase, rr.cpuMsPerCase))} |`,
    `| drain after the last case: outbox published + projections caught up, s | ${f(br.drainSeconds, 2)} | | |`,
  ];
  if (b.retriedAttempts > 0) lines.push(`| retried attempts | ${b.retriedAttempts} | | |`);
  return lines;
}

/** The Markdown report: headline ratios, one table per phase, memory, machine. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const q = r.ratios;
  const baton = r.phases.length > 0;
  const out = [
    `# Baton benchmark, ${r.date}`, '',
    `N = ${r.options.cases} cases (throughput phase), ${r.options.pacedCases} paced cases (latency phase), ${r.options.warmupCases} warm-up cases; ` +
      `workflow a → b → c → (d ∥ e), five \`noop\` steps; run took ${f(r.runSeconds, 0)} s.`,
    `Machine: ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${m.platform}; load average ${f(m.loadAverageStart, 2)} at start, ${f(m.loadAverageEnd, 2)} at end.`, '',
  ];
  if (r.peers) out.push(...renderPeers(r, r.peers));
  if (baton) out.push(
    '## Ratios (Baton ÷ raw kafkajs on the same broker, same run; above 1 = Baton costs more)', '',
    '| ratio | value | what it compares |',
    '|---|---:|---|',
    `| per-hop latency, p50 | ${x(q.hopLatencyP50)} | paced: StepScheduled → StepCompleted p50 ÷ raw ping → pong p50 |`,
    `| per-hop latency, p99 | ${x(q.hopLatencyP99)} | paced: the same at p99 |`,
    `| per-hop overhead, p50 | ${f(q.hopOverheadMsP50)} ms | paced: what Baton adds to each step hop over a raw round trip |`,
    `| case latency, p50 | ${x(q.caseLatencyP50)} | paced: Baton case ÷ raw case of the same shape (a, b, c, then d ∥ e) |`,
    `| case latency, p99 | ${x(q.caseLatencyP99)} | paced: the same at p99 |`,
    `| case vs Kafka floor, p50 | ${x(q.caseVsKafkaFloorP50)} | paced: Baton case p50 ÷ (${CRITICAL_PATH_HOPS} critical-path hops × raw round trip p50) |`,
    `| throughput | ${x(q.throughput)} | burst: raw cases/s ÷ Baton cases/s |`,
    `| CPU per case | ${x(q.cpuPerCase)} | burst: (orchestrator + worker) ÷ (originator + echo) CPU per case; Postgres not included |`,
    '',
  );
  for (const p of r.phases) out.push(...phaseTable(p), '');
  const mem = r.peakMemoryMiB;
  const idle = r.idleCpuPercent;
  if (baton) out.push('## Peak memory (VmHWM) and idle CPU', '',
    `Peak memory: orchestrator ${f(mem.orchestrator, 0)} MiB, step worker ${f(mem.worker, 0)} MiB, echo ${f(mem.echo, 0)} MiB, benchmark process ${f(mem.bench, 0)} MiB.`, '');
  if (idle) {
    out.push(`Idle CPU over ${idle.seconds} s with nothing sent, % of one core: orchestrator ${f(idle.orchestrator)}, step worker ${f(idle.worker)}, ` +
      `its Postgres backends ${f(idle.postgres)}, echo ${f(idle.echo)}. It is part of every phase's CPU, which is why the paced phase costs more per case.`, '');
  }
  out.push(...extrasSections(r));
  if (r.notes.length > 0) out.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/** The rebuild, memory and scale-out sections, those the run has. */
function extrasSections(r: BenchResults): string[] {
  const out: string[] = [];
  if (r.rebuild) {
    out.push('## Projection rebuild', '',
      `${r.rebuild.events} events replayed from scratch in ${f(r.rebuild.seconds, 2)} s: **${r.rebuild.eventsPerSecond} events/s** (target ≥ 50,000).`, '');
  }
  if (r.memory) {
    out.push('## Orchestrator memory as cases accumulate', '', '| cases so far | peak RSS (VmHWM), MiB | RSS, MiB | wave took, s |', '|---:|---:|---:|---:|',
      ...r.memory.waves.map((w) => `| ${w.casesSoFar} | ${f(w.peakRssMiB, 0)} | ${f(w.rssMiB, 0)} | ${f(w.seconds)} |`), '',
      `Peak RSS after the last wave ÷ after the first: ${x(r.memory.growth)} (target 0.90–1.10).`, '');
  }
  if (r.scaleOut) {
    const c = r.scaleOut.check;
    const writers = Object.entries(c.eventsByWriter).map(([w, n]) => `${w} ${n}`).join(', ');
    out.push(`## Scale-out: ${r.scaleOut.orchestrators} orchestrators, ${r.scaleOut.workers} step workers`, '',
      `Cases/s and CPU above are of all the processes together. Events by writer: ${writers}.`, '',
      `Handled by two orchestrators at once (a writer that wrote a case again after another had): **${c.interleaved.length}** of ${c.cases} cases` +
        `${c.interleaved.length > 0 ? ` (e.g. ${c.interleaved.slice(0, 3).map((i) => `${i.caseId}: ${i.writers.join(' → ')}`).join('; ')})` : ''}; ` +
        `handed over once (trigger and results consumed by different members): ${c.handedOver}; without a writer: ${c.unattributed}.`, '');
  }
  return out;
}
