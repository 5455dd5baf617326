import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'avsc';
import { canonicalForm } from './canonical-form';
import { crc64Avro, toSignedInt64 } from './crc64-avro';
import { fingerprintFromHex, fingerprintToHex, schemaFingerprint } from './fingerprint';
import { FINGERPRINT_VECTORS } from './fingerprint-vectors';

describe('Parsing Canonical Form and CRC-64-AVRO', () => {
  for (const v of FINGERPRINT_VECTORS) {
    it(`vector ${v.id} has the specification's canonical form and fingerprint`, () => {
      assert.equal(canonicalForm(v.input), v.canonical);
      if (v.fingerprint !== undefined) assert.equal(toSignedInt64(schemaFingerprint(v.input)), v.fingerprint);
    });
  }

  it('gives an avsc type the same canonical form as its schema text', () => {
    for (const v of FINGERPRINT_VECTORS) {
      if (v.id === '016' || v.id === '026') continue; // avsc refuses an empty union and the default "true" of a boolean.
      const type = Type.forSchema(JSON.parse(v.input), { wrapUnions: true, registry: {} });
      assert.equal(canonicalForm(type), v.canonical, `vector ${v.id}`);
    }
  });

  it('strips logical types and other attributes, and writes a named type once', () => {
    const schema = {
      type: 'record', name: 'Outer', namespace: 'a.b', doc: 'x',
      fields: [
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, default: 0 },
        { name: 'one', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] } },
        { name: 'two', type: 'Inner' },
        { name: 'three', type: { type: 'array', items: 'a.b.Inner' } },
        { name: 'other', type: { type: 'enum', name: 'E', namespace: 'c', symbols: ['A'] } },
        { name: 'again', type: ['null', 'c.E'] },
      ],
    };
    assert.equal(
      canonicalForm(schema),
      '{"name":"a.b.Outer","type":"record","fields":[{"name":"at","type":"long"},' +
        '{"name":"one","type":{"name":"a.b.Inner","type":"record","fields":[{"name":"x","type":"int"}]}},' +
        '{"name":"two","type":"a.b.Inner"},{"name":"three","type":{"type":"array","items":"a.b.Inner"}},' +
        '{"name":"other","type":{"name":"c.E","type":"enum","symbols":["A"]}},{"name":"again","type":["null","c.E"]}]}',
    );
  });

  it('fingerprints the empty input as the CRC-64-AVRO empty value', () => {
    assert.equal(crc64Avro(new Uint8Array()), 0xc15d213aa4d7a795n);
  });

  it('writes a fingerprint as 16 hex digits in wire order and reads it back', () => {
    const fp = schemaFingerprint('"null"');
    const hex = fingerprintToHex(fp);
    assert.match(hex, /^[0-9a-f]{16}$/);
    assert.equal(fingerprintFromHex(hex), fp);
    assert.throws(() => fingerprintFromHex('abc'), RangeError);
  });
});
