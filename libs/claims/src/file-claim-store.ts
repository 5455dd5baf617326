import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClaimNotFound, verified, type Claim, type ClaimStore } from './claim-store';

/**
 * Claims as files `<dir>/<first two hex digits>/<sha256>`, each written to a temporary name and
 * renamed into place, so a reader never sees half a file. For a shared volume (NFS, a mounted
 * bucket) when step teams should not reach Postgres. A claim written for a transaction that then
 * rolled back stays as an orphan file: harmless (content-addressed), swept by age if wanted.
 */
export class FileClaimStore implements ClaimStore {
  constructor(private readonly dir: string) {}

  async put(claims: readonly Claim[]): Promise<void> {
    for (const c of claims) {
      const folder = join(this.dir, c.sha256.slice(0, 2));
      await mkdir(folder, { recursive: true });
      const temp = join(folder, `.${c.sha256}.${randomUUID()}.tmp`);
      await writeFile(temp, c.content);
      await rename(temp, join(folder, c.sha256));
    }
  }

  async get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ClaimNotFound(sha256, this.dir);
    let content: Buffer;
    try {
      content = await readFile(join(this.dir, sha256.slice(0, 2), sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ClaimNotFound(sha256, this.dir);
      throw error;
    }
    return verified(sha256, content);
  }
}
