import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootFailure } from '@baton/testing';
import { loadConfig } from './config';

describe('the gateway configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }), {
      databaseUrl: 'postgres://u@h/db', brokers: ['127.0.0.1:9092'], httpPort: 3000, host: '127.0.0.1', topicNamespace: '', migrate: false, poolSize: 10, contractPollMs: 5000,
    });
  });

  it('stops the service at boot on a bad or missing variable, naming it', () => {
    const { code, fatal } = bootFailure('services/gateway/src/main.ts', { DATABASE_URL: '', BATON_DB_POOL: 'ten' });
    assert.equal(code, 1);
    assert.match(fatal ?? '', /^failed to start: ConfigError: DATABASE_URL: is required \(.*\)\nBATON_DB_POOL: expected a positive integer, got "ten"\n/);
  });
});
