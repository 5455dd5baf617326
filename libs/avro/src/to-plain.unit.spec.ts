import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createType } from './create-type';
import { toPlain } from './to-plain';

/** One record with every kind a case input or step output can hold. */
const SAMPLE = createType({
  type: 'record', name: 'Sample', namespace: 'baton.test', fields: [
    { name: 'raw', type: 'bytes' },
    { name: 'digest', type: { type: 'fixed', name: 'Digest', size: 4 } },
    { name: 'note', type: ['null', { type: 'record', name: 'Note', fields: [{ name: 'text', type: 'string' }, { name: 'blob', type: ['null', 'bytes'], default: null }] }], default: null },
    { name: 'label', type: ['null', 'string'], default: null },
    { name: 'scores', type: { type: 'map', values: 'double' } },
    { name: 'parts', type: { type: 'array', items: { type: 'map', values: 'bytes' } } },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['HAM', 'SPAM'] } },
  ],
});

/** A decoded value: encoded and read back, so records are avsc's class instances. */
function decoded(value: object): Record<string, unknown> {
  return SAMPLE.fromBuffer(SAMPLE.toBuffer(value)) as Record<string, unknown>;
}

const VALUE = {
  raw: Buffer.from([0, 1, 255]), digest: Buffer.from('abcd'), note: { text: 'hi', blob: Buffer.from([7]) }, label: 'x',
  scores: { a: 0.5, b: Number.NaN }, parts: [{ p: Buffer.from([9]) }], kind: 'SPAM',
};

describe('toPlain', () => {
  it('turns records (avsc class instances) and maps into plain objects, keeping bytes and fixed as Buffers', () => {
    const v = decoded(VALUE);
    assert.notEqual(Object.getPrototypeOf(v), Object.prototype, 'avsc decodes a record as an instance of its class');
    const p = toPlain(v) as typeof VALUE;
    assert.equal(Object.getPrototypeOf(p), Object.prototype);
    assert.equal(Object.getPrototypeOf(p.note), Object.prototype, 'a union holding a record is the plain record');
    assert.ok(Buffer.isBuffer(p.raw) && Buffer.isBuffer(p.digest) && Buffer.isBuffer(p.note.blob) && Buffer.isBuffer(p.parts[0]!.p));
    assert.deepEqual([...p.raw], [0, 1, 255]);
    assert.equal(p.digest.toString(), 'abcd');
    assert.ok(Number.isNaN(p.scores.b), 'numbers stay as decoded');
    assert.deepEqual(Object.keys(p), Object.keys(VALUE), 'field order is kept');
  });

  it('as JSON data writes Buffers in their JSON form and a non-finite double as null, as the event store keeps them', () => {
    const p = toPlain(decoded(VALUE), { json: true });
    assert.deepEqual(p, {
      raw: { type: 'Buffer', data: [0, 1, 255] }, digest: { type: 'Buffer', data: [97, 98, 99, 100] }, note: { text: 'hi', blob: { type: 'Buffer', data: [7] } },
      label: 'x', scores: { a: 0.5, b: null }, parts: [{ p: { type: 'Buffer', data: [9] } }], kind: 'SPAM',
    });
    assert.deepEqual(toPlain(decoded({ ...VALUE, note: null, label: null }), { json: true }), JSON.parse(JSON.stringify(decoded({ ...VALUE, note: null, label: null }))));
  });

  it('as JSON data equals a JSON round trip of any decoded value, and leaves the value it reads unchanged', () => {
    const bytes = fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a));
    const arbitrary = fc.record({
      raw: bytes, digest: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((a) => Buffer.from(a)),
      note: fc.option(fc.record({ text: fc.string(), blob: fc.option(bytes, { nil: null }) }), { nil: null }),
      label: fc.option(fc.string(), { nil: null }),
      scores: fc.dictionary(fc.string({ maxLength: 4 }), fc.double()),
      parts: fc.array(fc.dictionary(fc.string({ maxLength: 3 }), bytes), { maxLength: 3 }),
      kind: fc.constantFrom('HAM', 'SPAM'),
    });
    fc.assert(fc.property(arbitrary, (value) => {
      const v = decoded(value);
      const before = SAMPLE.toBuffer(v);
      assert.deepEqual(toPlain(v, { json: true }), JSON.parse(JSON.stringify(v)));
      assert.ok(SAMPLE.toBuffer(toPlain(v)).equals(before), 'the plain value encodes to the same bytes');
      assert.ok(SAMPLE.toBuffer(v).equals(before));
    }));
  });
});
