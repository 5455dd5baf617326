import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDoubleHandling, type WriterRow } from './scale-out';

const rows = (caseId: string, writers: (string | null)[]): WriterRow[] => writers.map((writer, i) => ({ caseId, position: i + 1, writer }));

describe('the scale-out check', () => {
  it('accepts a case one instance wrote, and one handed over once', () => {
    const c = checkDoubleHandling([...rows('one', ['a', 'a', 'a']), ...rows('over', ['a', 'b', 'b'])]);
    assert.deepEqual(c.interleaved, []);
    assert.equal(c.handedOver, 1);
    assert.deepEqual(c.eventsByWriter, { a: 4, b: 2 });
  });

  it('reports a case whose writer came back after another wrote it, in stream order whatever the row order', () => {
    const c = checkDoubleHandling([...rows('twice', ['a', 'b', 'a'])].reverse());
    assert.deepEqual(c.interleaved, [{ caseId: 'twice', writers: ['a', 'b', 'a'] }]);
  });

  it('counts a case with an event that names no writer apart, unjudged', () => {
    const c = checkDoubleHandling(rows('old', ['a', null, 'a']));
    assert.equal(c.unattributed, 1);
    assert.deepEqual(c.interleaved, []);
  });
});
