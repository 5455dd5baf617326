import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latencySummary, percentile } from './percentiles';

describe('percentiles', () => {
  it('takes the nearest rank of unsorted values', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 100);
    assert.equal(percentile(values, 10), 10);
    assert.deepEqual(latencySummary([3, 1, 2]), { p50: 2, p95: 3, p99: 3, count: 3 });
  });

  it('is NaN for no values and refuses a percentile outside (0, 100]', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 0), /percentile must be in \(0, 100\], got 0/);
  });
});

describe('percentiles of unmeasured values', () => {
  it('refuses NaN instead of sorting it into a wrong answer', () => {
    assert.throws(() => percentile([3, Number.NaN, 1], 50), /not a finite number/);
  });
});
