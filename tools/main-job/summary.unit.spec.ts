import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary, summarize, type CaseOutcome } from './summary';

const o = (label: 'spam' | 'ham', routed: 'spam' | 'ham' | 'none', reviewed: boolean, latencyMs: number, door: 'kafka' | 'http' = 'kafka'): CaseOutcome =>
  ({ caseId: `${label}-${latencyMs}`, label, routed, reviewed, latencyMs, door, status: routed === 'none' ? 'failed' : 'completed' });

describe('the main job summary', () => {
  it('counts routing against labels, the review rate, latency percentiles and throughput', () => {
    const s = summarize([o('spam', 'spam', false, 100), o('spam', 'ham', true, 300, 'http'), o('ham', 'ham', false, 200), o('ham', 'none', false, 400, 'http')], 2000);
    assert.deepEqual(s.confusion, { spam: { spam: 1, ham: 1, none: 0 }, ham: { spam: 0, ham: 1, none: 1 } });
    assert.equal(s.completed, 3);
    assert.equal(s.failed, 1);
    assert.equal(s.accuracy, 0.5);
    assert.equal(s.reviewRate, 0.25);
    assert.deepEqual(s.latencyMs, { p50: 200, p95: 400, p99: 400, count: 4 });
    assert.equal(s.casesPerSecond, 2);
    assert.deepEqual(s.byDoor, { kafka: 2, http: 2 });
    const text = formatSummary(s);
    assert.match(text, /cases: 4 \(2 via kafka, 2 via http\)/);
    assert.match(text, /review rate: 25\.0%/);
    assert.match(text, /p50 200 ms, p95 400 ms, p99 400 ms/);
  });
});

describe('the main job summary with cases that never ended', () => {
  it('reports them as not ended and keeps them out of the latency percentiles', () => {
    const stuck: CaseOutcome = { caseId: 'stuck', label: 'ham', routed: 'none', reviewed: false, latencyMs: null, door: 'http', status: 'not ended' };
    const s = summarize([o('spam', 'spam', false, 100), o('ham', 'ham', false, 300), stuck], 1000);
    assert.equal(s.notEnded, 1);
    assert.equal(s.other, 0);
    assert.deepEqual(s.latencyMs, { p50: 100, p95: 300, p99: 300, count: 2 });
    const text = formatSummary(s);
    assert.match(text, /completed 2, failed 0, NOT ENDED 1/);
    assert.match(text, /the 2 that ended\): p50 100 ms, p95 300 ms, p99 300 ms/);
    assert.doesNotMatch(text, /NaN/);
  });
});
