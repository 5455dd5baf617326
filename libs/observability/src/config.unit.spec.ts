import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readEnv, type EnvSchema } from './config';

const schema = {
  DATABASE_URL: { type: 'string', required: true, description: 'the event store' },
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port' },
  BATON_CONSUMER_MAX_RETRY_MS: { type: 'integer', minimum: 1, default: 300_000, unit: 'ms', description: 'retry bound' },
  BATON_MIGRATE: { type: 'boolean', default: false, description: 'migrate' },
  BATON_LLM_PRICE_IN: { type: 'number', minimum: 0, default: 0, description: 'price' },
  BATON_TOPIC_NAMESPACE: { type: 'string', default: '', description: 'prefix' },
} as const satisfies EnvSchema;

const problems = (env: NodeJS.ProcessEnv) => {
  try { readEnv(schema, env); } catch (e) { assert.ok(e instanceof ConfigError); return e.problems; }
  return [];
};

describe('a service environment checked against its schema', () => {
  it('reads numbers, booleans (true/false/1/0) and strings, with defaults for unset or empty values', () => {
    assert.deepEqual(readEnv(schema, { DATABASE_URL: 'postgres://x', PORT: ' 8080 ', BATON_MIGRATE: '1', BATON_LLM_PRICE_IN: '0.5', BATON_CONSUMER_MAX_RETRY_MS: '' }), {
      DATABASE_URL: 'postgres://x', PORT: 8080, BATON_CONSUMER_MAX_RETRY_MS: 300_000, BATON_MIGRATE: true, BATON_LLM_PRICE_IN: 0.5, BATON_TOPIC_NAMESPACE: '',
    });
    assert.equal(readEnv(schema, { DATABASE_URL: 'u', BATON_MIGRATE: 'false' }).BATON_MIGRATE, false);
  });

  it('names each bad variable, what it expects and the value it got, all at once', () => {
    assert.deepEqual(problems({ DATABASE_URL: 'u', BATON_CONSUMER_MAX_RETRY_MS: 'abc', PORT: '70000', BATON_MIGRATE: 'yes', BATON_LLM_PRICE_IN: '-1' }), [
      'PORT: expected an integer from 0 to 65535, got "70000"',
      'BATON_CONSUMER_MAX_RETRY_MS: expected a positive integer (ms), got "abc"',
      'BATON_MIGRATE: expected true or false, got "yes"',
      'BATON_LLM_PRICE_IN: expected a non-negative number, got "-1"',
    ]);
    assert.deepEqual(problems({ DATABASE_URL: 'u', BATON_CONSUMER_MAX_RETRY_MS: '0' }), ['BATON_CONSUMER_MAX_RETRY_MS: expected a positive integer (ms), got "0"']);
    assert.deepEqual(problems({ DATABASE_URL: 'u', PORT: '1.5' }), ['PORT: expected an integer from 0 to 65535, got "1.5"']);
  });

  it('says which required variable is missing and what it is for', () => {
    assert.deepEqual(problems({ DATABASE_URL: '  ' }), ['DATABASE_URL: is required (the event store)']);
  });
});
