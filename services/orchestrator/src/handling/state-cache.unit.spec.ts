import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, type CaseState } from '@baton/workflow-engine';
import { StateCache } from './state-cache';

const withStatus = (status: CaseState['status']): CaseState => ({ ...initialState(), status });

describe('the state cache', () => {
  it('keeps running cases up to its capacity, the least recently used out first', () => {
    const cache = new StateCache(2);
    cache.set('a', withStatus('running'));
    cache.set('b', withStatus('running'));
    cache.get('a');
    cache.set('c', withStatus('running'));
    assert.equal(cache.size, 2);
    assert.ok(cache.get('a') && cache.get('c'));
    assert.equal(cache.get('b'), undefined);
  });

  it('forgets a case once it ended, so ended cases do not pile up', () => {
    const cache = new StateCache(10);
    cache.set('a', withStatus('running'));
    for (const [id, status] of [['a', 'completed'], ['b', 'failed'], ['c', 'cancelled']] as const) cache.set(id, withStatus(status));
    assert.equal(cache.size, 0);
    assert.equal(cache.get('a'), undefined);
  });
});
