import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RetryPolicy } from './definition/types';
import { isRetryable, retryDelay } from './retry';

const policy: RetryPolicy = { maxAttempts: 10, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 10_000, jitter: 0.2, nonRetryable: ['Bad'] };

describe('retry policy', () => {
  it('backs off exponentially and caps at maxInterval', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n, 0.5)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('keeps a jittered delay within (1 ± jitter) of the capped backoff', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
      const base = Math.min(1000 * 2 ** (attempt - 1), 10_000);
      const delay = retryDelay(policy, attempt, r);
      assert.ok(delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2), `${delay} for base ${base}`);
    }));
    assert.equal(retryDelay(policy, 1, 0), 800);
    assert.equal(retryDelay(policy, 7, 0.999_999), 12_000);
  });

  it('never retries a name listed as non-retryable or an error marked retryable: false', () => {
    assert.equal(isRetryable(policy, { name: 'Flaky', message: '', retryable: true }), true);
    assert.equal(isRetryable(policy, { name: 'Bad', message: '', retryable: true }), false);
    assert.equal(isRetryable(policy, { name: 'Flaky', message: '', retryable: false }), false);
  });
});
