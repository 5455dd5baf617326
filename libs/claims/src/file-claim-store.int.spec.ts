import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimOf, ClaimCorrupt, ClaimNotFound } from './claim-store';
import { FileClaimStore } from './file-claim-store';

describe('FileClaimStore on a real directory', () => {
  it('stores a claim once, reads it back checked, and names what is missing or damaged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'claims-'));
    const store = new FileClaimStore(dir);
    const claim = claimOf(Buffer.alloc(300_000, 7));
    await store.put([claim]);
    await store.put([claim]);
    assert.deepEqual(await store.get(claim.sha256), claim.content);
    const other = claimOf(Buffer.from('not stored'));
    await assert.rejects(store.get(other.sha256), ClaimNotFound);
    await writeFile(join(dir, claim.sha256.slice(0, 2), claim.sha256), 'damaged');
    await assert.rejects(store.get(claim.sha256), ClaimCorrupt);
  });
});
