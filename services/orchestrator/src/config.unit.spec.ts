import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootFailure } from '@baton/testing';
import { loadConfig } from './config';

describe('the orchestrator configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db' });
    assert.deepEqual({ ...c, instanceId: undefined }, {
      databaseUrl: 'postgres://u@h/db', brokers: ['127.0.0.1:9092'], httpPort: 3001, host: '127.0.0.1', topicNamespace: '', groupId: 'baton-orchestrator',
      instanceId: undefined, migrate: true, projector: true, timerPollMs: 100, poolSize: 20, sessionTimeoutMs: 10000, consumerMaxRetryMs: 300_000,
      stallReadyMs: 60_000, stuckCheckMs: 30000, batch: true, relayPipeline: false, relayHandOff: true, contractPollMs: 5000,
      claimThresholdBytes: 262_144, schedulePollMs: 200, scheduleCatchupMs: 60_000, filePollMs: 250, fileStableMs: 1000,
    });
  });

  it('stops the service at boot on a bad variable, naming it, what it expects and the value', () => {
    const { code, fatal } = bootFailure('services/orchestrator/src/main.ts', { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', BATON_CONSUMER_MAX_RETRY_MS: 'abc', BATON_BATCH: 'sometimes' });
    assert.equal(code, 1);
    assert.match(fatal ?? '', /^failed to start: ConfigError: BATON_CONSUMER_MAX_RETRY_MS: expected a positive integer \(ms\), got "abc"\nBATON_BATCH: expected true or false, got "sometimes"\n/);
  });
});
