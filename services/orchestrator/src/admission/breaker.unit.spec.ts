import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { circuitGaugeValue, nextCircuit } from './breaker';

const policy = { failures: 3, windowMs: 10_000, openMs: 5_000 };

describe('the circuit breaker rules', () => {
  it('given a closed circuit, when failures in the window reach the threshold, then it opens', () => {
    assert.equal(nextCircuit({ state: 'closed', changedAt: 0, failuresInWindow: 2 }, policy, 1000), null);
    assert.deepEqual(nextCircuit({ state: 'closed', changedAt: 0, failuresInWindow: 3 }, policy, 1000), { to: 'open', reason: '3 failures within 10000 ms (threshold 3)' });
  });

  it('given an open circuit, when it has been open for openMs, then it turns half-open', () => {
    assert.equal(nextCircuit({ state: 'open', changedAt: 1000, failuresInWindow: 9 }, policy, 5999), null);
    assert.equal(nextCircuit({ state: 'open', changedAt: 1000, failuresInWindow: 9 }, policy, 6000)?.to, 'half-open');
  });

  it('given a half-open circuit, when the probe succeeds it closes, when it fails it opens, while it runs nothing changes', () => {
    assert.equal(nextCircuit({ state: 'half-open', changedAt: 0, failuresInWindow: 0 }, policy, 1), null);
    assert.equal(nextCircuit({ state: 'half-open', changedAt: 0, failuresInWindow: 0, probe: 'ok' }, policy, 1)?.to, 'closed');
    assert.equal(nextCircuit({ state: 'half-open', changedAt: 0, failuresInWindow: 1, probe: 'failed' }, policy, 1)?.to, 'open');
  });

  it('given no policy, when the circuit is not closed, then it closes', () => {
    assert.equal(nextCircuit({ state: 'open', changedAt: 0, failuresInWindow: 5 }, undefined, 1)?.to, 'closed');
    assert.equal(nextCircuit({ state: 'closed', changedAt: 0, failuresInWindow: 5 }, undefined, 1), null);
  });

  it('maps states to the gauge: 0 closed, 1 half-open, 2 open', () => {
    assert.deepEqual((['closed', 'half-open', 'open'] as const).map(circuitGaugeValue), [0, 1, 2]);
  });
});
