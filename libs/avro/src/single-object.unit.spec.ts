import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createType } from './create-type';
import { AvroDecodeError, type AvroDecodeCause, AvroEncodeError } from './errors';
import { fingerprintToBytes } from './fingerprint';
import { decode, encode, readHeader, typeFingerprint } from './single-object';
import { BLOB, INTS, NULLS, STRING_MAP, TEXT, USER_V1, USER_VALUE } from './test-schemas';

/** A zig-zag varint of a non-negative number up to 2^53. */
function varint(n: number): Buffer {
  let z = n * 2;
  const out: number[] = [];
  while (z >= 128) { out.push((z % 128) | 0x80); z = Math.floor(z / 128); }
  out.push(z);
  return Buffer.from(out);
}

function message(schema: object, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintToBytes(typeFingerprint(createType(schema))), body]);
}

function rejects(fn: () => unknown, cause: AvroDecodeCause): AvroDecodeError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AvroDecodeError, `expected AvroDecodeError, got ${String(e)}`);
    assert.equal(e.cause, cause, e.message);
    assert.match(e.message, new RegExp(`\\(${cause}\\)`));
    return e;
  }
  assert.fail(`expected AvroDecodeError ${cause}`);
}

describe('single-object encoding', () => {
  const user = createType(USER_V1);

  it('writes the marker C3 01, the little-endian fingerprint, then the Avro body', () => {
    const buf = encode(user, USER_VALUE);
    assert.deepEqual([...buf.subarray(0, 2)], [0xc3, 0x01]);
    assert.equal(buf.readBigUInt64LE(2), typeFingerprint(user));
    assert.deepEqual(buf.subarray(10), user.toBuffer(USER_VALUE));
    assert.deepEqual(readHeader(buf), { fingerprint: typeFingerprint(user), bodyOffset: 10 });
  });

  it('round-trips a value with unions, enums, arrays, maps, bytes and timestamps', () => {
    const out = decode<typeof USER_VALUE>(user, encode(user, USER_VALUE));
    assert.deepEqual({ ...out, address: { ...out.address } }, USER_VALUE);
    const none = { ...USER_VALUE, email: null, address: null };
    assert.deepEqual({ ...decode<object>(user, encode(user, none)) }, none);
  });

  it('refuses a value that does not match, naming every offending field path', () => {
    const bad = { ...USER_VALUE, age: 'old', address: { city: 'Oslo', zip: 'x' }, tags: ['a', 3] };
    assert.throws(() => encode(user, bad), (e: unknown) => {
      assert.ok(e instanceof AvroEncodeError);
      const paths = e.problems.map((p) => p.path).sort();
      assert.deepEqual(paths, ['address.zip', 'age', 'tags.1']);
      assert.match(e.message, /test\.v1\.User/);
      assert.match(e.message, /age: expected int, got "old"/);
      return true;
    });
  });

  it('refuses a long past 2^53 when encoding', () => {
    assert.throws(() => encode(user, { ...USER_VALUE, at: 2 ** 60 }), (e: unknown) => e instanceof AvroEncodeError && /\bat\b/.test(e.message));
  });

  it('fails with bad-marker when the buffer does not start with C3 01', () => {
    const buf = encode(user, USER_VALUE);
    buf[0] = 0x00;
    rejects(() => decode(user, buf), 'bad-marker');
  });

  it('fails with too-short when the buffer is shorter than the header', () => {
    rejects(() => decode(user, Buffer.from([0xc3, 0x01, 1, 2])), 'too-short');
    rejects(() => decode(user, Buffer.alloc(0)), 'too-short');
  });

  it('fails with too-large before reading a buffer longer than the limit', () => {
    const buf = encode(user, USER_VALUE);
    rejects(() => decode(user, buf, { maxBytes: buf.length - 1 }), 'too-large');
    assert.doesNotThrow(() => decode(user, buf, { maxBytes: buf.length }));
  });

  it('fails with unknown-fingerprint when the header names another schema', () => {
    const other = createType(TEXT);
    const e = rejects(() => decode(user, encode(other, { text: 'x' })), 'unknown-fingerprint');
    assert.equal(e.fingerprint, typeFingerprint(other));
  });

  it('fails with truncated-body when the body is cut short', () => {
    const buf = encode(user, USER_VALUE);
    for (const cut of [11, 15, buf.length - 1]) rejects(() => decode(user, buf.subarray(0, cut)), 'truncated-body');
    rejects(() => decode(user, buf.subarray(0, 10)), 'truncated-body');
  });

  it('fails with trailing-bytes when bytes follow the body', () => {
    const buf = Buffer.concat([encode(user, USER_VALUE), Buffer.from([0])]);
    rejects(() => decode(user, buf), 'trailing-bytes');
  });

  it('fails with invalid-body on a union index, enum index, boolean byte or varint out of range', () => {
    const union = createType({ type: 'record', name: 'U', fields: [{ name: 'u', type: ['null', 'string'] }] });
    rejects(() => decode(union, message({ type: 'record', name: 'U', fields: [{ name: 'u', type: ['null', 'string'] }] }, Buffer.from([0x04]))), 'invalid-body');
    const en = { type: 'record', name: 'En', fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } }] };
    rejects(() => decode(createType(en), message(en, Buffer.from([0x02]))), 'invalid-body');
    const bool = { type: 'record', name: 'Bo', fields: [{ name: 'b', type: 'boolean' }] };
    rejects(() => decode(createType(bool), message(bool, Buffer.from([0x07]))), 'invalid-body');
    const int = { type: 'record', name: 'In', fields: [{ name: 'i', type: 'int' }] };
    rejects(() => decode(createType(int), message(int, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]))), 'invalid-body');
    rejects(() => decode(createType(int), message(int, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))), 'invalid-body');
    rejects(() => decode(createType(TEXT), message(TEXT, Buffer.from([0x01]))), 'invalid-body'); // length -1
  });

  it('fails with invalid-body when a long is past 2^53, which avsc refuses to read', () => {
    const lng = { type: 'record', name: 'Lo', fields: [{ name: 'l', type: 'long' }] };
    const body = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // 2^63 - 1
    rejects(() => decode(createType(lng), message(lng, body)), 'invalid-body');
  });

  it('refuses absurd lengths and counts without allocating or looping over them', () => {
    const huge = 2 ** 40;
    const cases: Array<[object, Buffer]> = [
      [TEXT, varint(huge)],
      [BLOB, varint(huge)],
      [INTS, Buffer.concat([varint(huge), Buffer.from([2, 4, 6])])],
      [INTS, Buffer.concat([varint(2 ** 31), Buffer.from([2, 4, 6, 0])])],
      [STRING_MAP, varint(huge)],
    ];
    const before = process.memoryUsage().arrayBuffers;
    const started = Date.now();
    for (const [schema, body] of cases) rejects(() => decode(createType(schema), message(schema, body)), 'truncated-body');
    assert.ok(Date.now() - started < 500, 'took too long');
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'allocated too much');
  });

  it('bounds arrays of zero-byte items, which no buffer length can bound', () => {
    const started = Date.now();
    rejects(() => decode(createType(NULLS), message(NULLS, Buffer.concat([varint(2 ** 31), Buffer.from([0])]))), 'invalid-body');
    assert.ok(Date.now() - started < 500, 'took too long');
    const small = Buffer.concat([varint(1000), Buffer.from([0])]);
    assert.equal(decode<{ items: null[] }>(createType(NULLS), message(NULLS, small)).items.length, 1000);
    rejects(() => decode(createType(NULLS), message(NULLS, small), { maxEmptyItems: 999 }), 'invalid-body');
  });

  it('shows that avsc alone would not bound a block count (why the body is checked first)', () => {
    // avsc reads past the end for each claimed item; with 2^20 claimed ints in 4 bytes it loops 2^20 times.
    const ints = createType(INTS);
    const res = ints.decode(Buffer.concat([varint(2 ** 20), Buffer.from([2, 0])]), 0);
    assert.equal(res.offset, -1);
  });
});
