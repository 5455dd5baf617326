import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadContracts, ContractNames } from '@baton/contracts';
import { ClaimCheck } from './claim-check';
import { ClaimNotFound, type Claim, type ClaimStore } from './claim-store';

const catalog = loadContracts();

/** A store in memory, for the codec's tests. */
class MemoryStore implements ClaimStore {
  readonly claims = new Map<string, Buffer>();
  async put(claims: readonly Claim[]): Promise<void> { for (const c of claims) this.claims.set(c.sha256, c.content); }
  async get(sha256: string): Promise<Buffer> {
    const c = this.claims.get(sha256);
    if (!c) throw new ClaimNotFound(sha256, 'memory');
    return c;
  }
}

describe('ClaimCheck', () => {
  it('leaves an encoding at the threshold as it is and replaces a longer one by a reference that resolves to it', async () => {
    const store = new MemoryStore();
    const check = new ClaimCheck(catalog, store, { thresholdBytes: 100 });
    const small = catalog.encode('baton.steps.text_sentiment.Input', { text: 'x'.repeat(10) });
    assert.equal(check.offload(small).value, small);
    const large = catalog.encode('baton.steps.text_sentiment.Input', { text: 'y'.repeat(500) });
    const sent = await check.offloadNow(large);
    assert.equal(catalog.decode(sent).writerName, ContractNames.ClaimReference);
    assert.deepEqual({ ...check.referenceIn(sent)! }, { sha256: [...store.claims.keys()][0], bytes: large.length, writerName: 'baton.steps.text_sentiment.Input' });
    assert.deepEqual(await check.resolve(sent), large);
    assert.equal(await check.resolve(small), small);
  });

  it('carries a long case event text as dataClaim and reads it back', async () => {
    const store = new MemoryStore();
    const check = new ClaimCheck(catalog, store, { thresholdBytes: 10 });
    const { data, dataClaim, claim } = check.offloadText(JSON.stringify({ long: 'z'.repeat(50) }));
    assert.equal(data, 'null');
    await store.put([claim!]);
    assert.equal(await check.resolveText({ data, dataClaim }), JSON.stringify({ long: 'z'.repeat(50) }));
    assert.deepEqual(check.offloadText('{"a":1}'), { data: '{"a":1}', dataClaim: null });
  });

  it('refuses a threshold that is not a positive integer, naming it', () => {
    assert.throws(() => new ClaimCheck(catalog, new MemoryStore(), { thresholdBytes: 0 }), /thresholdBytes must be a positive integer/);
  });
});
