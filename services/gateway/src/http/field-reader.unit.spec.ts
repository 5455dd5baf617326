import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StartCaseRequest } from '@baton/http-contract';
import { ValidationProblem } from '../errors/validation-problem';
import { readBody } from './body-reader';
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

describe('readBody', () => {
  it('collects every problem of a body against its schema, one per field, before throwing', () => {
    assert.deepEqual(problems(() => readBody(StartCaseRequest, { workflow: '', version: 1.5, input: null, key: 3 })), [
      'workflow: must not be empty', 'version: must be an integer from 1 to 2147483647, got 1.5', 'input: must be a JSON object, got null', 'key: must be a string, got 3',
    ]);
    assert.deepEqual(problems(() => readBody(StartCaseRequest, {})), ['workflow: is required', 'input: is required']);
    assert.deepEqual(problems(() => readBody(StartCaseRequest, [1])), ['(body): must be a JSON object (Content-Type: application/json)']);
    assert.deepEqual(problems(() => readBody(StartCaseRequest, { workflow: ' ', input: {}, key: 'k'.repeat(1001) })), ['workflow: must not be empty', 'key: must be at most 1000 characters']);
  });

  it('bounds every integer by the database integer (int4), reads 2.0 as 2, and returns the body typed', () => {
    assert.deepEqual(problems(() => readBody(StartCaseRequest, { workflow: 'w', input: {}, version: 378555370070 })), ['version: must be an integer from 1 to 2147483647, got 378555370070']);
    const body = readBody(StartCaseRequest, { workflow: 'w', input: { a: 1 }, version: 2.0, extra: true });
    assert.equal(body.version, 2);
    assert.deepEqual(body.input, { a: 1 });
  });
});

describe('FieldReader', () => {
  it('reads query strings: integers from digits, enums, and a repeated parameter as a problem', () => {
    const q = FieldReader.query({ limit: '20', status: 'running', cursor: ['a', 'b'] });
    assert.equal(q.positiveInt('limit'), 20);
    assert.equal(q.oneOf('status', ['running', 'failed'] as const), 'running');
    q.string('cursor');
    assert.deepEqual(problems(() => q.done()), ['cursor: must be given once']);
  });

  it('bounds every integer by the database integer (int4) unless a route says less, and reads 2.0 as 2', () => {
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
