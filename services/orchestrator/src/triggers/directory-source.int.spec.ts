import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySource } from './directory-source';

describe('DirectorySource on a real directory, with a clock of its own', () => {
  it('reports a file only after its size and modification time held still for stableMs over two scans, once per content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dirsource-'));
    try {
      let now = 1_000_000;
      const source = new DirectorySource(dir, { pattern: '*.eml', stableMs: 1000, clock: () => now });
      const path = join(dir, 'a.eml');
      await writeFile(path, 'part one\n');
      await writeFile(join(dir, '.a.eml.tmp'), 'hidden');
      assert.deepEqual(await source.scan(), [], 'first sight: not yet known to be complete');
      now += 2000;
      await appendFile(path, 'part two\n');
      await utimes(path, new Date(now), new Date(now));
      assert.deepEqual(await source.scan(), [], 'it grew: still being written');
      now += 500;
      assert.deepEqual(await source.scan(), [], 'unchanged, but not for stableMs yet');
      now += 600;
      const [landed, ...rest] = await source.scan();
      assert.equal(rest.length, 0);
      assert.deepEqual({ name: landed!.name, size: landed!.size, sha256: landed!.sha256 }, {
        name: 'a.eml', size: 18, sha256: createHash('sha256').update('part one\npart two\n').digest('hex'),
      });
      now += 5000;
      assert.deepEqual(await source.scan(), [], 'reported once');
      await writeFile(path, 'other content\n');
      await utimes(path, new Date(now), new Date(now));
      await source.scan();
      now += 1500;
      assert.equal((await source.scan())[0]?.sha256, createHash('sha256').update('other content\n').digest('hex'), 'a change of content is reported again');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
