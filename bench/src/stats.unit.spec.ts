import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { perSecond, ratio, summarize } from './stats';

describe('benchmark statistics', () => {
  it('summarizes durations with nearest-rank percentiles, max and mean', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.deepEqual(s, { count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });

  it('drops non-finite values and reports nothing measured as nulls', () => {
    assert.equal(summarize([3, Number.NaN, 1]).count, 2);
    assert.deepEqual(summarize([Number.NaN]), { count: 0, p50: null, p95: null, p99: null, max: null, mean: null });
  });

  it('gives ratios to two decimals and none against a missing or zero denominator', () => {
    assert.equal(ratio(12, 2.6), 4.62);
    assert.equal(ratio(1, 0), null);
    assert.equal(ratio(null, 3), null);
  });

  it('counts items per second over the window from first start to last end', () => {
    assert.equal(perSecond(200, 1000, 6000), 40);
    assert.equal(perSecond(10, 5000, 5000), null);
  });
});
