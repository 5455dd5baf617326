import { loadAverage } from '../proc';
import { baselineRows, peerRow, renderComparison, type ComparisonRow } from './comparison';
import { DbosPeer } from './dbos';
import { measurePeer, type PeerResult, type PeerRunOptions } from './measure-peer';
import type { Peer } from './peer';
import { RestatePeer } from './restate';
import { TemporalPeer } from './temporal';
import type { BenchResults } from '../report';

/** The peers' part of a run, for `latest.json`. */
export interface PeersSection {
  options: PeerRunOptions;
  results: PeerResult[];
  /** 1-minute load average when each peer started and ended, by peer name. */
  loadAverage: Record<string, { start: number; end: number }>;
}

/** The peers, in the order they run; `BATON_PEERS=restate,dbos` keeps only those whose names start so (to work on one). */
export function allPeers(only = process.env['BATON_PEERS']): Peer[] {
  const peers = [new RestatePeer(), new DbosPeer(), new TemporalPeer(), new TemporalPeer(true)];
  const names = only?.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  return names?.length ? peers.filter((p) => names.some((n) => p.name.toLowerCase().startsWith(n))) : peers;
}

/**
 * Measures every peer in turn, alone on the machine but for the broker and Postgres (Baton's
 * processes are stopped by then), with the same N, paced count and rate as Baton's phases.
 * @param progress - called with a line per stage
 */
export async function runPeers(o: PeerRunOptions, progress: (line: string) => void, peers: Peer[] = allPeers()): Promise<PeersSection> {
  const section: PeersSection = { options: o, results: [], loadAverage: {} };
  for (const peer of peers) {
    const start = loadAverage();
    section.results.push(await measurePeer(peer, o, progress));
    section.loadAverage[peer.name] = { start, end: loadAverage() };
  }
  return section;
}

/** The side-by-side rows: Baton and raw kafkajs (when their phases ran), then the peers. */
export function comparisonRows(r: Pick<BenchResults, 'phases' | 'peakMemoryMiB'>, s: PeersSection): ComparisonRow[] {
  return [...(r.phases.length > 0 ? baselineRows(r) : []), ...s.results.map(peerRow)];
}

/** The peers' Markdown: the side-by-side table, how each peer was set up, the load average while each ran. */
export function renderPeers(r: Pick<BenchResults, 'phases' | 'peakMemoryMiB'>, s: PeersSection): string[] {
  const load = (name: string) => s.loadAverage[name] ? `load average ${s.loadAverage[name]!.start} → ${s.loadAverage[name]!.end}` : '';
  return [
    ...renderComparison(comparisonRows(r, s), { cases: s.options.cases, pacedCases: s.options.pacedCases, ratePerSecond: s.options.ratePerSecond }), '',
    'Cases/s and CPU come from the burst, latency from the paced phase. Baton\'s latency is trigger `requestedAt` → `CaseCompleted` (its events\' times); ' +
      'the peers\' is the benchmark process\'s call → its answer (it includes the answer\'s trip back). CPU is user + system from `/proc/<pid>/stat` of every process ' +
      'of the system; Baton\'s and DBOS\'s include their Postgres backends, the broker\'s CPU is in no row. Peak RSS adds up the VmHWM of the server and worker processes ' +
      '(not Postgres, not the broker; raw kafkajs: the echo only, its originator is the benchmark process).', '',
    '### How each peer was set up', '',
    ...s.results.map((p) => `- **${p.name}** (${p.status}${p.reason ? `: ${p.reason}` : ''}; ${load(p.name)}): ${p.setup ?? 'not started'}`), '',
  ];
}
