import type { BenchResults } from '../report';
import type { PeerResult } from './measure-peer';

/** One row of the side-by-side table. Every figure null when `note` says why there is none. */
export interface ComparisonRow {
  name: string;
  /** Whether a completed case is on disk (Baton, Restate, DBOS, Temporal on a file); raw kafkajs counts as durable (acks=all). */
  durable: boolean;
  /** Burst: completed cases / (first start -> last end). */
  casesPerSecond: number | null;
  /** Paced: case latency, ms. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Burst: CPU of every process of the system, ms per case, and what it is made of. */
  cpuMsPerCase: number | null;
  cpuDetail: string;
  /** Sum of the peak resident memory (VmHWM) of its processes, MiB. */
  peakRssMiB: number | null;
  /** `not measured: <reason>` or `failed: <reason>`; null when measured. */
  note: string | null;
}

const sum = (xs: (number | null | undefined)[]): number | null =>
  xs.some((v) => v == null) ? null : Math.round(xs.reduce<number>((a, b) => a + (b ?? 0), 0) * 10) / 10;

/** The Baton and raw kafkajs rows, from the existing phases (burst for cases/s and CPU, paced for latency). */
export function baselineRows(r: Pick<BenchResults, 'phases' | 'peakMemoryMiB'>): ComparisonRow[] {
  const burst = r.phases.find((p) => p.kind === 'burst');
  const paced = r.phases.find((p) => p.kind === 'paced');
  const b = burst?.baton.resources;
  const m = r.peakMemoryMiB;
  return [{
    name: 'Baton', durable: true, casesPerSecond: burst?.baton.casesPerSecond ?? null,
    p50Ms: paced?.baton.caseLatencyMs.p50 ?? null, p99Ms: paced?.baton.caseLatencyMs.p99 ?? null,
    cpuMsPerCase: sum([b?.orchestratorCpuMsPerCase, b?.workerCpuMsPerCase, b?.postgresCpuMsPerCase]),
    cpuDetail: b ? `orchestrator ${b.orchestratorCpuMsPerCase ?? '–'} + worker ${b.workerCpuMsPerCase ?? '–'} + Postgres ${b.postgresCpuMsPerCase ?? '–'}` : '',
    peakRssMiB: sum([m.orchestrator, m.worker]), note: burst ? null : 'not measured: no burst phase',
  }, {
    name: 'raw kafkajs', durable: true, casesPerSecond: burst?.raw.casesPerSecond ?? null,
    p50Ms: paced?.raw.caseLatencyMs.p50 ?? null, p99Ms: paced?.raw.caseLatencyMs.p99 ?? null,
    cpuMsPerCase: burst?.raw.resources.cpuMsPerCase ?? null, cpuDetail: 'originator + echo',
    peakRssMiB: m.echo, note: burst ? null : 'not measured: no burst phase',
  }];
}

/** A peer's row; its CPU detail lists the roles in the order the peer gave them. */
export function peerRow(p: PeerResult): ComparisonRow {
  const roles = p.burst ? Object.entries(p.burst.cpuMsPerCaseByRole).map(([role, ms]) => `${role} ${ms ?? '–'}`).join(' + ') : '';
  return {
    name: p.name, durable: p.durable, casesPerSecond: p.burst?.casesPerSecond ?? null,
    p50Ms: p.paced?.caseLatencyMs.p50 ?? null, p99Ms: p.paced?.caseLatencyMs.p99 ?? null,
    cpuMsPerCase: p.burst?.cpuMsPerCase ?? null, cpuDetail: roles, peakRssMiB: p.peakRssMiB,
    note: p.status === 'measured' ? p.reason : `${p.status}: ${p.reason ?? 'no reason given'}`,
  };
}

/**
 * Baton's burst cases/s over the best measured durable peer's (raw kafkajs is not a peer, and a peer
 * that keeps cases in memory only is not compared): above 1, Baton is faster. Null when Baton or
 * every such peer has no figure.
 * @returns the ratio (two decimals) and the peer it was against
 */
export function batonOverBestPeer(rows: readonly ComparisonRow[]): { ratio: number | null; bestPeer: string | null } {
  const baton = rows.find((r) => r.name === 'Baton')?.casesPerSecond ?? null;
  const peers = rows.filter((r) => r.name !== 'Baton' && r.name !== 'raw kafkajs' && r.durable && r.casesPerSecond !== null && r.casesPerSecond > 0);
  if (peers.length === 0) return { ratio: null, bestPeer: null };
  const best = peers.reduce((a, b) => (b.casesPerSecond! > a.casesPerSecond! ? b : a));
  return { ratio: baton === null ? null : Math.round((baton / best.casesPerSecond!) * 100) / 100, bestPeer: best.name };
}

const f = (v: number | null, digits = 1): string => (v === null ? '–' : v.toFixed(digits));

/**
 * The side-by-side table as Markdown lines: one row per system, a row that has no figures says why
 * in place of them, then "Baton ÷ best peer" for cases/s.
 * @param o - N (burst cases), paced cases and rate (cases/s), for the heading
 */
export function renderComparison(rows: readonly ComparisonRow[], o: { cases: number; pacedCases: number; ratePerSecond: number }): string[] {
  const lines = [
    `## Side by side: Baton, raw kafkajs and the peers (N = ${o.cases} at once; ${o.pacedCases} paced at ${o.ratePerSecond}/s)`, '',
    '| system | cases/s (burst) | case latency p50, ms (paced) | p99, ms (paced) | CPU ms per case (burst) | peak RSS, MiB |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.note !== null && r.casesPerSecond === null) {
      lines.push(`| ${r.name} | ${r.note} | | | | |`);
      continue;
    }
    const cpu = r.cpuMsPerCase === null ? '–' : `${f(r.cpuMsPerCase)}${r.cpuDetail ? ` (${r.cpuDetail})` : ''}`;
    const notes = [r.durable ? '' : 'not durable', r.note ?? ''].filter(Boolean).join('; ');
    lines.push(`| ${r.name}${notes ? ` (${notes})` : ''} | ${f(r.casesPerSecond)} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${cpu} | ${f(r.peakRssMiB, 0)} |`);
  }
  const { ratio, bestPeer } = batonOverBestPeer(rows);
  lines.push('', bestPeer === null
    ? '**Baton ÷ best peer, cases/s**: – (no durable peer measured)'
    : `**Baton ÷ best peer, cases/s**: ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} (best durable peer: ${bestPeer}; above 1, Baton is faster)`);
  return lines;
}
