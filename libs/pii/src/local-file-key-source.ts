import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeySource, WrappedDataKey } from './key-source';

interface KekFile { current: string; keys: Record<string, string> }

/**
 * The local key source: KEKs in `<dir>/keks.json` (`{ "current": "kek-1", "keys": { "kek-1": "<base64 of 32 bytes>" } }`,
 * mode 0600, created with one random KEK on first use), each subject's wrapped data key in
 * `<dir>/subjects/<sha256 of the subject>.json`, so a file name reveals no subject. For a laptop and
 * the tests; production keeps KEKs in a KMS behind {@link KeySource}.
 */
export class LocalFileKeySource implements KeySource {
  constructor(private readonly dir: string) {}

  async currentKekId(): Promise<string> {
    return this.keks().current;
  }

  async kek(id: string): Promise<Buffer | undefined> {
    const key = this.keks().keys[id];
    return key ? Buffer.from(key, 'base64') : undefined;
  }

  /**
   * Adds a new random KEK and makes it current (older KEKs stay, so older data keys still unwrap).
   * @returns the new KEK's id
   */
  rotateKek(): string {
    const file = this.keks();
    const id = `kek-${Object.keys(file.keys).length + 1}`;
    file.keys[id] = randomBytes(32).toString('base64');
    file.current = id;
    this.writeKeks(file);
    return id;
  }

  async getDataKey(subject: string): Promise<WrappedDataKey | undefined> {
    const path = this.subjectPath(subject);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as WrappedDataKey) : undefined;
  }

  async putDataKey(subject: string, key: WrappedDataKey): Promise<WrappedDataKey> {
    mkdirSync(join(this.dir, 'subjects'), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(this.subjectPath(subject), JSON.stringify(key), { flag: 'wx', mode: 0o600 });
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await this.getDataKey(subject))!;
    }
  }

  async replaceDataKey(subject: string, key: WrappedDataKey): Promise<void> {
    const path = this.subjectPath(subject);
    writeFileSync(`${path}.tmp`, JSON.stringify(key), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  async deleteDataKey(subject: string): Promise<boolean> {
    const path = this.subjectPath(subject);
    if (!existsSync(path)) return false;
    rmSync(path);
    return true;
  }

  private subjectPath(subject: string): string {
    return join(this.dir, 'subjects', `${createHash('sha256').update(subject).digest('hex')}.json`);
  }

  private keks(): KekFile {
    const path = join(this.dir, 'keks.json');
    if (!existsSync(path)) {
      const file = { current: 'kek-1', keys: { 'kek-1': randomBytes(32).toString('base64') } };
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      try {
        writeFileSync(path, JSON.stringify(file, null, 2), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return JSON.parse(readFileSync(path, 'utf8')) as KekFile;
  }

  private writeKeks(file: KekFile): void {
    const path = join(this.dir, 'keks.json');
    writeFileSync(`${path}.tmp`, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
}

/**
 * The local key source of this machine: `BATON_PII_KEYS_DIR`, else `$BATON_HOME/pii-keys`
 * (BATON_HOME default `<repo>/.baton`).
 */
export function localKeySourceFromEnv(env: NodeJS.ProcessEnv = process.env): LocalFileKeySource {
  return new LocalFileKeySource(env.BATON_PII_KEYS_DIR || join(env.BATON_HOME || join(__dirname, '../../..', '.baton'), 'pii-keys'));
}
