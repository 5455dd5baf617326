import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootFailure } from '@baton/testing';
import { loadConfig } from './config';

describe('the gateway configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }), {
      databaseUrl: 'postgres://u@h/db', brokers: ['127.0.0.1:9092'], httpPort: 3000, host: '127.0.0.1', topicNamespace: '', migrate: false, poolSize: 10, contractPollMs: 5000,
      auth: { audience: 'baton', rolesClaim: 'roles', tenantClaim: 'tenant', casesPerSecond: 50, casesBurst: 100 },
    });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@h/db', BATON_OIDC_ISSUER: 'https://id.example.com', BATON_DEV_ISSUER_DIR: '/tmp/dev' }).auth,
      { oidcIssuer: 'https://id.example.com', devIssuerDir: '/tmp/dev', audience: 'baton', rolesClaim: 'roles', tenantClaim: 'tenant', casesPerSecond: 50, casesBurst: 100 });
  });

  it('stops the service at boot on a bad or missing variable, naming it', () => {
    const { code, fatal } = bootFailure('services/gateway/src/main.ts', { DATABASE_URL: '', BATON_DB_POOL: 'ten' });
    assert.equal(code, 1);
    assert.match(fatal ?? '', /^failed to start: ConfigError: DATABASE_URL: is required \(.*\)\nBATON_DB_POOL: expected a positive integer, got "ten"\n/);
  });
});
