import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { retryWithBackoff, RetriesExhaustedError, type RetryAttempt } from './retry';

const failing = (times: number, error = new Error('down')) => {
  let calls = 0;
  return { fn: async (attempt: number) => { calls++; if (attempt <= times) throw error; return attempt; }, calls: () => calls };
};

describe('retryWithBackoff', () => {
  it('retries until the operation succeeds, waiting initialMs * factor^(n-1) capped at maxMs', async () => {
    const seen: RetryAttempt[] = [];
    const op = failing(3);
    assert.equal(await retryWithBackoff(op.fn, { initialMs: 2, factor: 3, maxMs: 10 }, { onRetry: (f) => seen.push(f) }), 4);
    assert.deepEqual(seen.map((f) => [f.attempt, f.waitMs]), [[1, 2], [2, 6], [3, 10]]);
  });

  it('gives up after maxAttempts with the last error as cause and the count in the message', async () => {
    const op = failing(10, new Error('still broken'));
    const e = await retryWithBackoff(op.fn, { initialMs: 1, maxAttempts: 3 }).catch((x: unknown) => x);
    assert.ok(e instanceof RetriesExhaustedError);
    assert.equal(e.attempts, 3);
    assert.equal(op.calls(), 3);
    assert.equal(e.cause.message, 'still broken');
    assert.equal(e.message, 'still broken (gave up after 3 attempts)');
  });

  it('gives up once maxRetryMs passed since the first failure, the last wait cut to end at the bound', async () => {
    const seen: number[] = [];
    const e = await retryWithBackoff(failing(1000).fn, { initialMs: 40, factor: 1, maxRetryMs: 100 }, { onRetry: (f) => seen.push(f.waitMs) }).catch((x: unknown) => x);
    assert.ok(e instanceof RetriesExhaustedError);
    assert.equal(e.byCount, false);
    assert.ok(e.elapsedMs >= 100, String(e.elapsedMs));
    assert.match(e.message, /^down \(gave up after \d+ attempts in \d+ ms\)$/);
    assert.ok(seen.at(-1)! <= 40);
  });

  it('starts no attempt after the deadline', async () => {
    const op = failing(1000);
    const e = await retryWithBackoff(op.fn, { initialMs: 30, factor: 1, deadline: Date.now() + 50 }).catch((x: unknown) => x);
    assert.ok(e instanceof RetriesExhaustedError);
    assert.ok(op.calls() >= 2 && op.calls() <= 4, String(op.calls()));
  });

  it('throws an error shouldRetry refuses at once, unwrapped', async () => {
    const permanent = new Error('bad data');
    const op = failing(5, permanent);
    await assert.rejects(retryWithBackoff(op.fn, { initialMs: 1 }, { shouldRetry: (e) => e !== permanent }), (e) => e === permanent);
    assert.equal(op.calls(), 1);
  });

  it('awaits afterWait between attempts, and ends the retries with what it throws', async () => {
    let waits = 0;
    await assert.rejects(retryWithBackoff(failing(5).fn, { initialMs: 1 }, { afterWait: async () => { if (++waits === 2) throw new Error('rebalancing'); } }), /rebalancing/);
    assert.equal(waits, 2);
  });

  it('keeps every jittered wait within [1, backoff]', async () => {
    const seen: number[] = [];
    await retryWithBackoff(failing(6).fn, { initialMs: 4, factor: 1, jitter: true }, { onRetry: (f) => seen.push(f.waitMs) });
    assert.equal(seen.length, 6);
    for (const w of seen) assert.ok(w >= 1 && w <= 4, String(w));
  });
});
