import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createType } from './create-type';
import { encodeBody, validationProblems } from './encode-value';

describe('undeclared fields', () => {
  const type = createType({
    type: 'record', name: 'Draft', namespace: 'baton.test', fields: [
      { name: 'subject', type: 'string' },
      { name: 'entities', type: { type: 'record', name: 'Entities', fields: [{ name: 'people', type: { type: 'array', items: 'string' } }] } },
      { name: 'note', type: ['null', { type: 'record', name: 'Note', fields: [{ name: 'text', type: 'string' }] }], default: null },
    ],
  });

  it('are dropped silently unless noUndeclaredFields names each by its path', () => {
    const value = { subject: 's', subjct: 'typo', entities: { people: [], orgs: ['x'] }, note: { text: 't', extra: 1 } };
    assert.deepEqual(validationProblems(type, value), []);
    assert.deepEqual(validationProblems(type, value, { noUndeclaredFields: true }).map((p) => `${p.path}: ${p.expected}`), [
      'subjct: no such field', 'entities.orgs: no such field', 'note.extra: no such field',
    ]);
    assert.throws(() => encodeBody(type, value, { noUndeclaredFields: true }), /subjct/);
  });
});
