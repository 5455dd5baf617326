import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptLedger } from './attempt-ledger';

describe('AttemptLedger', () => {
  it('hands an attempt to the first claimant and calls a later one a duplicate once it finished', () => {
    const ledger = new AttemptLedger();
    const first = ledger.claim('c:s:1');
    assert.equal(first.kind, 'new');
    if (first.kind === 'new') first.finish();
    assert.equal(ledger.claim('c:s:1').kind, 'finished');
    assert.equal(ledger.claim('c:s:2').kind, 'new');
  });

  it('tells a concurrent claimant the attempt is running, and settles its wait when the run finishes', async () => {
    const ledger = new AttemptLedger();
    const first = ledger.claim('c:s:1');
    const second = ledger.claim('c:s:1');
    assert.equal(second.kind, 'running');
    let waited = false;
    const wait = second.kind === 'running' ? second.done.then(() => { waited = true; }) : Promise.resolve();
    await new Promise((r) => setImmediate(r));
    assert.equal(waited, false);
    if (first.kind === 'new') first.finish();
    await wait;
    assert.equal(waited, true);
  });

  it('lets a released attempt be claimed again, and rejects the wait of a concurrent claimant', async () => {
    const ledger = new AttemptLedger();
    const first = ledger.claim('c:s:1');
    const second = ledger.claim('c:s:1');
    if (first.kind === 'new') first.release(new Error('broker down'));
    if (second.kind === 'running') await assert.rejects(second.done, /broker down/);
    assert.equal(ledger.claim('c:s:1').kind, 'new');
  });

  it('forgets the least recently seen finished attempt beyond its capacity', () => {
    const ledger = new AttemptLedger(2);
    for (const id of ['a', 'b']) { const c = ledger.claim(id); if (c.kind === 'new') c.finish(); }
    assert.equal(ledger.claim('a').kind, 'finished'); // refreshes a: b is now the oldest
    const c = ledger.claim('c');
    if (c.kind === 'new') c.finish();
    assert.equal(ledger.claim('a').kind, 'finished');
    assert.equal(ledger.claim('b').kind, 'new');
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new AttemptLedger(0), RangeError);
  });
});
