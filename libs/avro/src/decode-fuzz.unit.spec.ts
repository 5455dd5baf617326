import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AvroDecodeError } from './errors';
import { fingerprintToBytes } from './fingerprint';
import { SchemaCatalog } from './schema-catalog';
import { INTS, NULLS, STRING_MAP, TEXT, USER_V1, USER_V2, USER_VALUE } from './test-schemas';

function neverThrowsOtherThanDecodeError(catalog: SchemaCatalog, buf: Buffer, reader?: string): void {
  try {
    catalog.decode(buf, reader);
  } catch (e) {
    if (!(e instanceof AvroDecodeError)) throw e;
  }
}

describe('decoding arbitrary bytes', () => {
  const catalog = new SchemaCatalog();
  for (const s of [USER_V1, TEXT, INTS, NULLS, STRING_MAP]) catalog.register(s, { current: s !== USER_V1 });
  catalog.register(USER_V2);
  const headers = catalog.entries().map((e) => Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintToBytes(e.fingerprint)]));
  const valid = catalog.encode('test.v1.User', { ...USER_VALUE, score: 1 });

  it('throws nothing but AvroDecodeError for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => neverThrowsOtherThanDecodeError(catalog, Buffer.from(bytes))), { numRuns: 2000 });
  });

  it('throws nothing but AvroDecodeError for any body after a known header, read as written or through a reader', () => {
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 200 }), fc.constantFrom(undefined, 'test.v1.User', 'test.v1.Text'), (header, body, reader) => {
        const started = Date.now();
        neverThrowsOtherThanDecodeError(catalog, Buffer.concat([header, Buffer.from(body)]), reader);
        assert.ok(Date.now() - started < 1000, 'decoding took too long');
      }),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but AvroDecodeError for a valid message with bytes flipped, cut or appended', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(valid.length), fc.uint8Array({ maxLength: 4 }), (flips, cut, extra) => {
        const buf = Buffer.from(valid);
        for (const [i, b] of flips) buf[i] = b;
        neverThrowsOtherThanDecodeError(catalog, Buffer.concat([buf.subarray(0, cut), Buffer.from(extra)]), 'test.v1.User');
      }),
      { numRuns: 3000 },
    );
  });
});
