import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pacing, parseArgs } from './main';

describe('the benchmark\'s flags', () => {
  it('reads --peers and --peers-only as switches among flags with values', () => {
    const o = parseArgs(['--cases', '50', '--peers', '--paced-cases', '20']);
    assert.equal(o.cases, 50);
    assert.equal(o.pacedCases, 20);
    assert.equal(o.peers, true);
    assert.equal(o.peersOnly, false);
    assert.equal(parseArgs(['--peers-only']).peersOnly, true);
  });

  it('leaves the peers out by default, and paces 20 s worth at 5 cases/s', () => {
    const o = parseArgs([]);
    assert.equal(o.peers, false);
    assert.deepEqual(pacing(o), { rate: 5, pacedCases: 100 });
  });

  it('names a flag it does not know', () => {
    assert.throws(() => parseArgs(['--peer']), /unknown flag --peer/);
  });
});
