import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NonRetryableError } from '../non-retryable-error';
import { RetryableError } from '../retryable-error';
import { MAX_DETAILS_CHARS, sdkStepError, toStepError } from './step-error';

describe('toStepError', () => {
  it('makes anything thrown retryable, named after the error', () => {
    class RateLimited extends Error { override name = 'RateLimited'; }
    const e = toStepError(new RateLimited('429 from the model API'));
    assert.deepEqual({ name: e.name, message: e.message, retryable: e.retryable }, { name: 'RateLimited', message: '429 from the model API', retryable: true });
    assert.match(JSON.parse(e.details!).stack, /RateLimited: 429/);
  });

  it('makes a NonRetryableError not retryable, with its name and its own details', () => {
    const e = toStepError(new NonRetryableError('MalformedEmail', 'no @', { details: { field: 'to' }, cause: new TypeError('bad') }));
    assert.equal(e.name, 'MalformedEmail');
    assert.equal(e.retryable, false);
    const details = JSON.parse(e.details!);
    assert.equal(details.field, 'to');
    assert.equal(details.cause, 'TypeError: bad');
  });

  it('treats any object branded nonRetryable (another copy of the SDK) as not retryable', () => {
    const foreign = Object.assign(new Error('x'), { name: 'Refused', nonRetryable: true });
    assert.equal(toStepError(foreign).retryable, false);
  });

  it('carries a RetryableError\'s retryAfterMs, and none for other errors', () => {
    const e = toStepError(new RetryableError('RateLimited', 'the model API answered 429', { retryAfterMs: 30_000 }));
    assert.deepEqual([e.name, e.retryable, e.retryAfterMs], ['RateLimited', true, 30_000]);
    assert.equal(toStepError(new Error('x')).retryAfterMs, null);
    assert.equal(toStepError(Object.assign(new NonRetryableError('Fatal', 'no'), { retryAfterMs: 5 })).retryAfterMs, null);
    assert.throws(() => new RetryableError('X', 'y', { retryAfterMs: -1 }), /retryAfterMs: expected a non-negative integer \(ms\), got -1/);
  });

  it('turns a thrown non-Error into a retryable Error', () => {
    assert.deepEqual(toStepError('oops'), { name: 'Error', message: 'a non-Error value was thrown: oops', retryable: true, details: null, retryAfterMs: null });
  });

  it('cuts a long stack so details stay within the limit and remain JSON', () => {
    const error = new Error('deep');
    error.stack = `Error: deep\n${'    at frame (file.ts:1:1)\n'.repeat(1000)}`;
    const details = toStepError(error).details!;
    assert.ok(details.length <= MAX_DETAILS_CHARS, `${details.length} chars`);
    assert.match(JSON.parse(details).stack, /\.\.\.\(truncated\)$/);
  });

  it('reports the SDK\'s own failures as not retryable', () => {
    assert.deepEqual(sdkStepError('InputSchemaViolation', 'bad input'), { name: 'InputSchemaViolation', message: 'bad input', retryable: false, details: null, retryAfterMs: null });
  });
});
