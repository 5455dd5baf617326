import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClaimedOutboxMessage } from '@baton/event-store';
import { chunksOf } from './outbox-relay';

const row = (id: number, bytes: number): ClaimedOutboxMessage => ({ id, topic: 't', key: 'k', value: Buffer.alloc(bytes), headers: {}, createdAt: new Date(0) });

describe('outbox sends', () => {
  it('split claimed rows, in order, into sends under the byte limit; a larger row travels alone', () => {
    const rows = [row(1, 400), row(2, 400), row(3, 400), row(4, 5000), row(5, 100)];
    assert.deepEqual(chunksOf(rows, 1000).map((c) => c.map((r) => r.id)), [[1, 2], [3], [4], [5]]);
    assert.deepEqual(chunksOf(rows, 100000).map((c) => c.map((r) => r.id)), [[1, 2, 3, 4, 5]]);
    assert.deepEqual(chunksOf([], 1000), []);
  });
});
