import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pacing, parseArgs, resultsName } from './main';

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

  it('reads --scale-out and --memory-cases, and names each mode\'s results files', () => {
    const o = parseArgs(['--scale-out', '--cases', '100']);
    assert.equal(o.scaleOut, true);
    assert.equal(resultsName(o), 'scale-out');
    assert.equal(resultsName(parseArgs(['--memory-cases', '20000'])), 'memory');
    assert.equal(parseArgs(['--memory-cases', '20000']).memoryCases, 20000);
    assert.equal(resultsName(parseArgs(['--peers'])), 'latest');
  });

  it('names a flag it does not know', () => {
    assert.throws(() => parseArgs(['--peer']), /unknown flag --peer/);
  });
});
