import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { envBool, envHost, envInt } from './env';

describe('service configuration from the environment', () => {
  it('reads integers and booleans, with fallbacks for unset or empty values', () => {
    assert.equal(envInt({ PORT: '8080' }, 'PORT', 3000), 8080);
    assert.equal(envInt({ PORT: '' }, 'PORT', 3000), 3000);
    assert.equal(envBool({ X: '1' }, 'X', false), true);
    assert.equal(envBool({}, 'X', true), true);
    assert.equal(envHost({}), '127.0.0.1');
    assert.equal(envHost({ HOST: '0.0.0.0' }), '0.0.0.0');
  });

  it('names the variable and the value it refuses', () => {
    assert.throws(() => envInt({ PORT: 'eighty' }, 'PORT', 3000), /PORT must be a non-negative integer, got 'eighty'/);
    assert.throws(() => envBool({ BATON_MIGRATE: 'yes' }, 'BATON_MIGRATE', false), /BATON_MIGRATE must be true or false, got 'yes'/);
  });
});
