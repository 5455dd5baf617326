/** Schemas shared by this library's tests. */
export const USER_V1 = {
  type: 'record',
  name: 'User',
  namespace: 'test.v1',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'email', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'address', type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: 'long' }] }], default: null },
    { name: 'blob', type: 'bytes' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'ok', type: 'boolean' },
    { name: 'attrs', type: { type: 'map', values: 'double' } },
  ],
};

/** Version 2 of the same record: adds `score` with a default. */
export const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'score', type: 'double', default: 0.5 }] };

export const USER_VALUE = {
  id: 'u-1',
  age: 42,
  email: 'a@b.c',
  tags: ['x', 'y'],
  kind: 'B',
  address: { city: 'Oslo', zip: 1234 },
  blob: Buffer.from([1, 2, 3]),
  at: 1_700_000_000_123,
  ok: true,
  attrs: { pi: 3.5 },
};

export const NULLS = { type: 'record', name: 'Nulls', namespace: 'test.v1', fields: [{ name: 'items', type: { type: 'array', items: 'null' } }] };
export const TEXT = { type: 'record', name: 'Text', namespace: 'test.v1', fields: [{ name: 'text', type: 'string' }] };
export const BLOB = { type: 'record', name: 'Blob', namespace: 'test.v1', fields: [{ name: 'data', type: 'bytes' }] };
export const INTS = { type: 'record', name: 'Ints', namespace: 'test.v1', fields: [{ name: 'items', type: { type: 'array', items: 'int' } }] };
export const STRING_MAP = { type: 'record', name: 'StringMap', namespace: 'test.v1', fields: [{ name: 'values', type: { type: 'map', values: 'string' } }] };
