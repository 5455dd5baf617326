import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidDuration, parseDuration } from './duration';

describe('ISO-8601 durations', () => {
  it('converts fixed-length units to milliseconds', () => {
    assert.equal(parseDuration('PT30S'), 30_000);
    assert.equal(parseDuration('PT1M30S'), 90_000);
    assert.equal(parseDuration('PT0.5S'), 500);
    assert.equal(parseDuration('P1DT2H'), 26 * 3_600_000);
    assert.equal(parseDuration('P1W'), 7 * 86_400_000);
  });

  it('refuses text that is not a duration, negative or zero durations, and months or years', () => {
    for (const bad of ['30s', '', 'PT', '-PT1S', 'PT0S', 'P1M', 'P1Y']) {
      assert.throws(() => parseDuration(bad), InvalidDuration, bad);
    }
  });
});
