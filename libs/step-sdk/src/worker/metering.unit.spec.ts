import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMetering, checkMetering } from './metering';

describe('metering', () => {
  it('sums tokens and cost of one model and keeps its version', () => {
    const once = addMetering(null, { model: 'm', modelVersion: 'v1', inputTokens: 10, outputTokens: 2, costUsd: 0.5 });
    assert.deepEqual(addMetering(once, { model: 'm', modelVersion: 'v1', inputTokens: 5, outputTokens: 1, costUsd: 0.25 }),
      { model: 'm', modelVersion: 'v1', inputTokens: 15, outputTokens: 3, costUsd: 0.75 });
  });

  it('names every model of an attempt that called several, without a version', () => {
    let total = addMetering(null, { model: 'small', modelVersion: 'v1', inputTokens: 1, outputTokens: 1, costUsd: 0 });
    total = addMetering(total, { model: 'large', inputTokens: 1, outputTokens: 1, costUsd: 1 });
    total = addMetering(total, { model: 'small', inputTokens: 1, outputTokens: 1, costUsd: 0 });
    assert.deepEqual(total, { model: 'small+large', modelVersion: null, inputTokens: 3, outputTokens: 3, costUsd: 1 });
  });

  it('refuses counts that are not non-negative integers and costs that are not non-negative numbers', () => {
    assert.throws(() => checkMetering({ model: 'm', inputTokens: 1.5, outputTokens: 0, costUsd: 0 }), /field 'inputTokens'/);
    assert.throws(() => checkMetering({ model: 'm', inputTokens: 1, outputTokens: -1, costUsd: 0 }), /field 'outputTokens'/);
    assert.throws(() => checkMetering({ model: 'm', inputTokens: 1, outputTokens: 1, costUsd: Number.NaN }), /field 'costUsd'/);
    assert.throws(() => checkMetering({ model: '', inputTokens: 1, outputTokens: 1, costUsd: 0 }), /field 'model'/);
  });
});
