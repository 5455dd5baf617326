import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationProblem } from '../errors/validation-problem';
import { FieldReader } from './field-reader';

const problems = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ValidationProblem);
    return e.errors.map((x) => `${x.field}: ${x.message}`);
  }
  return [];
};

describe('FieldReader', () => {
  it('collects every problem of a body before throwing', () => {
    const r = FieldReader.body({ workflow: '', version: 1.5, input: null, key: 3 });
    r.string('workflow', { required: true });
    r.positiveInt('version');
    r.value('input', { required: true });
    r.string('key');
    assert.deepEqual(problems(() => r.done()), ['workflow: must not be empty', 'version: must be an integer from 1 to 2147483647, got 1.5', 'input: is required', 'key: must be a string, got 3']);
  });

  it('reads query strings: integers from digits, enums, and a repeated parameter as a problem', () => {
    const q = FieldReader.query({ limit: '20', status: 'running', cursor: ['a', 'b'] });
    assert.equal(q.positiveInt('limit'), 20);
    assert.equal(q.oneOf('status', ['running', 'failed'] as const), 'running');
    q.string('cursor');
    assert.deepEqual(problems(() => q.done()), ['cursor: must be given once']);
    assert.deepEqual(problems(() => { const b = FieldReader.body([1]); b.done(); }), ['(body): must be a JSON object (Content-Type: application/json)']);
  });

  it('bounds every integer by the database integer (int4) unless a route says less, and reads 2.0 as 2', () => {
    const b = FieldReader.body({ version: 378555370070, ok: 2147483647 });
    assert.equal(b.positiveInt('version'), undefined);
    assert.equal(b.positiveInt('ok'), 2147483647);
    assert.deepEqual(problems(() => b.done()), ['version: must be an integer from 1 to 2147483647, got 378555370070']);
    const q = FieldReader.query({ version: '99999999999', limit: '2.0', zero: '0.0', frac: '1.5' });
    assert.equal(q.positiveInt('limit', { max: 500 }), 2);
    q.positiveInt('version');
    q.positiveInt('zero');
    q.positiveInt('frac');
    assert.deepEqual(problems(() => q.done()), [
      "version: must be an integer from 1 to 2147483647, got '99999999999'",
      "zero: must be an integer from 1 to 2147483647, got '0.0'",
      "frac: must be an integer from 1 to 2147483647, got '1.5'",
    ]);
  });
});
