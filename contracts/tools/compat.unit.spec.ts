import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkCompatibility } from './compat';

const base = {
  type: 'record', name: 'Order', namespace: 'x.v1',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'qty', type: 'int' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'line', type: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }] } },
    { name: 'state', type: { type: 'enum', name: 'State', symbols: ['OPEN', 'DONE'] } },
  ],
};
const withFields = (fields: object[]) => ({ ...base, fields });
const f = base.fields;

function reasons(next: object): string {
  const v = checkCompatibility(base, next);
  assert.equal(v.status, 'incompatible');
  return v.status === 'incompatible' ? v.reasons.join('; ') : '';
}

describe('schema compatibility', () => {
  it('passes a new schema, an unchanged one, and one that adds a field with a default', () => {
    assert.deepEqual(checkCompatibility(undefined, base), { status: 'new' });
    assert.deepEqual(checkCompatibility(base, base), { status: 'ok' });
    assert.deepEqual(checkCompatibility(base, withFields([...f, { name: 'extra', type: 'long', default: 0 }])), { status: 'ok' });
    assert.deepEqual(checkCompatibility(base, withFields(f.filter((x) => x.name !== 'note'))), { status: 'ok' }, 'removing a field is fine for the reader');
    assert.deepEqual(checkCompatibility(base, withFields(f.map((x) => (x.name === 'qty' ? { ...x, type: 'long' } : x)))), { status: 'ok' }, 'int promotes to long');
  });

  it('names a field added without a default', () => {
    assert.match(reasons(withFields([...f, { name: 'extra', type: 'long' }])), /field x\.v1\.Order\.extra was added without a default/);
  });

  it('names a field whose type changed, also inside a nested record', () => {
    assert.match(reasons(withFields(f.map((x) => (x.name === 'id' ? { ...x, type: 'int' } : x)))), /field x\.v1\.Order\.id: type changed from "string" to "int"/);
    const nested = f.map((x) => (x.name === 'line' ? { ...x, type: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'long' }] } } : x));
    assert.match(reasons(withFields(nested)), /x\.v1\.Order\.line\.sku/);
    assert.match(reasons(withFields(f.map((x) => (x.name === 'note' ? { name: 'note', type: 'string' } : x)))), /field x\.v1\.Order\.note: old values of type "null"/);
  });

  it('names an enum that lost a symbol', () => {
    const lost = f.map((x) => (x.name === 'state' ? { ...x, type: { type: 'enum', name: 'State', symbols: ['OPEN'] } } : x));
    assert.match(reasons(withFields(lost)), /x\.v1\.Order\.state.*DONE/);
  });

  it('refuses a changed full name', () => {
    assert.match(reasons({ ...base, namespace: 'x.v2' }), /full name changed from x\.v1\.Order to x\.v2\.Order/);
  });
});
