import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'avsc';
import { AvroDecodeError, AvroSchemaError, UnknownSchemaError } from './errors';
import { SchemaCatalog } from './schema-catalog';
import { TEXT, USER_V1, USER_V2, USER_VALUE } from './test-schemas';

describe('SchemaCatalog', () => {
  it('looks a schema up by full name, by fingerprint and by fingerprint hex', () => {
    const catalog = new SchemaCatalog();
    const entry = catalog.register(USER_V1);
    assert.equal(entry.name, 'test.v1.User');
    assert.equal(catalog.get('test.v1.User'), entry);
    assert.equal(catalog.byFingerprint(entry.fingerprint), entry);
    assert.equal(catalog.byFingerprint(entry.fingerprintHex), entry);
    assert.equal(catalog.byFingerprint(BigInt.asIntN(64, entry.fingerprint)), entry, 'a signed fingerprint finds it too');
    assert.equal(catalog.byFingerprint(0n), undefined);
    assert.match(entry.canonical, /^\{"name":"test\.v1\.User","type":"record"/);
    assert.deepEqual(catalog.names(), ['test.v1.User']);
  });

  it('accepts JSON text and avsc types, and registering the same schema twice is a no-op', () => {
    const catalog = new SchemaCatalog();
    const a = catalog.register(JSON.stringify(TEXT));
    const b = catalog.register(Type.forSchema(TEXT as never, { wrapUnions: false }));
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(catalog.entries().length, 1);
  });

  it('encodes by name and decodes with the writer schema found by fingerprint', () => {
    const catalog = new SchemaCatalog();
    catalog.register(USER_V1);
    catalog.register(TEXT);
    const out = catalog.decode<{ id: string }>(catalog.encode('test.v1.Text', { text: 'hi' }));
    assert.equal(out.writerName, 'test.v1.Text');
    assert.deepEqual({ ...out.value }, { text: 'hi' });
    assert.equal(out.fingerprint, catalog.get('test.v1.Text').fingerprint);
  });

  it('reads data written with an older version through the current version (a new field takes its default)', () => {
    const writer = new SchemaCatalog();
    writer.register(USER_V1);
    const old = writer.encode('test.v1.User', USER_VALUE);

    const reader = new SchemaCatalog();
    reader.register(USER_V1, { current: false });
    reader.register(USER_V2);
    const out = reader.decode<{ score: number; id: string }>(old, 'test.v1.User');
    assert.equal(out.value.score, 0.5);
    assert.equal(out.value.id, 'u-1');
    assert.equal(out.fingerprint, writer.get('test.v1.User').fingerprint);
    // Without a reader name, the value is read as written.
    assert.equal('score' in (reader.decode<object>(old).value), false);
    // The current version is the newer one.
    assert.equal(reader.get('test.v1.User').fingerprint, reader.register(USER_V2).fingerprint);
  });

  it('reads data written with a newer version through an older one (the extra field is skipped)', () => {
    const catalog = new SchemaCatalog();
    catalog.register(USER_V2);
    const buf = catalog.encode('test.v1.User', { ...USER_VALUE, score: 9 });
    catalog.register(USER_V1);
    const out = catalog.decode<object>(buf, 'test.v1.User');
    assert.equal('score' in out.value, false);
  });

  it('fails with incompatible-schema when the reader cannot read the writer', () => {
    const catalog = new SchemaCatalog();
    catalog.register(USER_V1);
    catalog.register(TEXT);
    const buf = catalog.encode('test.v1.Text', { text: 'x' });
    assert.throws(() => catalog.decode(buf, 'test.v1.User'), (e: unknown) => e instanceof AvroDecodeError && e.cause === 'incompatible-schema' && /test\.v1\.User/.test(e.message));
  });

  it('fails with unknown-fingerprint for a message whose writer schema it does not hold', () => {
    const a = new SchemaCatalog();
    a.register(TEXT);
    const b = new SchemaCatalog();
    b.register(USER_V1);
    assert.throws(() => b.decode(a.encode('test.v1.Text', { text: 'x' })), (e: unknown) => e instanceof AvroDecodeError && e.cause === 'unknown-fingerprint');
  });

  it('applies its decode limits', () => {
    const catalog = new SchemaCatalog({ maxBytes: 12 });
    catalog.register(TEXT);
    assert.throws(() => catalog.decode(catalog.encode('test.v1.Text', { text: 'long enough' })), (e: unknown) => e instanceof AvroDecodeError && e.cause === 'too-large');
  });

  it('names the unknown schema and the known ones', () => {
    const catalog = new SchemaCatalog();
    catalog.register(TEXT);
    assert.throws(() => catalog.encode('test.v1.Nope', {}), (e: unknown) => e instanceof UnknownSchemaError && /test\.v1\.Nope.*test\.v1\.Text/.test(e.message));
  });

  it('refuses ambiguous unions, anonymous schemas and invalid schemas', () => {
    const catalog = new SchemaCatalog();
    const ambiguous = { type: 'record', name: 'Amb', fields: [{ name: 'n', type: ['int', 'long'] }] };
    assert.throws(() => catalog.register(ambiguous), (e: unknown) => e instanceof AvroSchemaError && /ambiguous/.test(e.message));
    const twoRecords = { type: 'record', name: 'Two', fields: [{ name: 'r', type: [{ type: 'record', name: 'A', fields: [] }, { type: 'record', name: 'B', fields: [] }] }] };
    assert.throws(() => catalog.register(twoRecords), AvroSchemaError);
    assert.throws(() => catalog.register({ type: 'array', items: 'string' }), (e: unknown) => e instanceof AvroSchemaError && /named/.test(e.message));
    assert.throws(() => catalog.register('{not json'), AvroSchemaError);
    assert.throws(() => catalog.register({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'Missing' }] }), AvroSchemaError);
  });
});
