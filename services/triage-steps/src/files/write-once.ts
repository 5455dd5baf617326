/**
 * One record per idempotency key, written at most once, whole or not at all: the unique key is
 * the file's name. The content goes to a temporary file (written and flushed), which is then
 * hard-linked to the final name; `link` fails with `EEXIST` when the name is taken, so of
 * concurrent writers (in one process or several sharing the file system) exactly one creates the
 * record, and a crash leaves either no record (the next delivery writes it) or the whole record
 * (the next delivery finds it). Nothing is locked, so nothing is ever stale.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The record file name of a key: the key made safe for a file name, plus a hash of the key so that different keys never collide. */
export function keyFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${safe}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.json`;
}

/**
 * Creates `path` holding `content` unless it exists.
 * @returns true when this call created it; false when it was there (from an earlier or concurrent call)
 * @throws the file system's error for anything but an existing record (`ENOSPC`, `EACCES`, ...)
 */
export async function writeOnce(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(content);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Writes the record of `key` in `dir` (created if missing) at most once.
 * @returns the record's absolute path, and whether this call wrote it
 */
export async function writeRecordOnce(dir: string, key: string, record: unknown): Promise<{ path: string; written: boolean }> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, keyFileName(key));
  return { path, written: await writeOnce(path, `${JSON.stringify(record)}\n`) };
}

/** The parsed record at `path`, or undefined when there is none. */
export async function readRecord<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Every record in `dir` (none when it does not exist), in file name order; temporary files are skipped. */
export async function readRecords<T = Record<string, unknown>>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as T));
}
