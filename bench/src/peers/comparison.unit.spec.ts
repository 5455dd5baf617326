import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../stats';
import { batonOverBestPeer, peerRow, renderComparison, type ComparisonRow } from './comparison';
import type { PeerResult } from './measure-peer';

const row = (name: string, casesPerSecond: number | null, durable = true): ComparisonRow => ({
  name, durable, casesPerSecond, p50Ms: 10, p99Ms: 20, cpuMsPerCase: 5, cpuDetail: '', peakRssMiB: 100, note: null,
});

const measured = (name: string, casesPerSecond: number): PeerResult => ({
  name, durable: true, status: 'measured', reason: null, setup: 'x',
  burst: { cases: 10, completed: 10, timedOut: false, casesPerSecond, caseLatencyMs: summarize([1]), cpuMsPerCase: 3.5, cpuMsPerCaseByRole: { server: 1.5, worker: 2 } },
  paced: { cases: 5, completed: 5, timedOut: false, ratePerSecond: 5, casesPerSecond: null, caseLatencyMs: summarize([10, 20, 30]), cpuMsPerCase: 9, cpuMsPerCaseByRole: {} },
  peakRssMiB: 300,
});

describe('the side-by-side comparison', () => {
  it('divides Baton cases/s by the best durable peer, leaving out raw kafkajs and in-memory peers', () => {
    const rows = [row('Baton', 300), row('raw kafkajs', 900), row('Restate', 100), row('DBOS', 150), row('Temporal (in memory)', 200, false)];
    assert.deepEqual(batonOverBestPeer(rows), { ratio: 2, bestPeer: 'DBOS' });
  });

  it('has no ratio when no peer was measured', () => {
    assert.deepEqual(batonOverBestPeer([row('Baton', 300), row('Restate', null)]), { ratio: null, bestPeer: null });
  });

  it('takes a peer row\'s cases/s and CPU from the burst and its latency from the paced phase', () => {
    const r = peerRow(measured('Restate', 71));
    assert.equal(r.casesPerSecond, 71);
    assert.equal(r.p50Ms, 20);
    assert.equal(r.cpuMsPerCase, 3.5);
    assert.equal(r.cpuDetail, 'server 1.5 + worker 2');
    assert.equal(r.note, null);
  });

  it('renders a peer that could not run as a row that says why, never drops it', () => {
    const missing: PeerResult = { ...measured('Temporal', 1), status: 'not measured', reason: 'no Go toolchain', burst: null, paced: null, peakRssMiB: null };
    const md = renderComparison([row('Baton', 300), peerRow(missing)], { cases: 10, pacedCases: 5, ratePerSecond: 5 }).join('\n');
    assert.match(md, /\| Temporal \| not measured: no Go toolchain \|/);
    assert.match(md, /Baton ÷ best peer, cases\/s\*\*: – \(no durable peer measured\)/);
  });

  it('marks an in-memory peer as not durable and prints the ratio against the best durable one', () => {
    const md = renderComparison([row('Baton', 300), row('Restate', 120), row('Temporal (in memory)', 200, false)], { cases: 10, pacedCases: 5, ratePerSecond: 5 }).join('\n');
    assert.match(md, /\| Temporal \(in memory\) \(not durable\) \| 200\.0 \|/);
    assert.match(md, /2\.50× \(best durable peer: Restate/);
  });
});
