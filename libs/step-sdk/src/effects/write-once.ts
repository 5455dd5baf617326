import { randomUUID } from 'node:crypto';
import { appendFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What {@link writeOnce} did: `created` is false when an earlier attempt (of any process) had written the record. */
export interface WriteOnceResult<T> {
  /** The record as stored: the one this call wrote, or the earlier one. */
  record: T;
  created: boolean;
  /** Absolute path of the record's file. */
  path: string;
}

/**
 * An effect applied at most once per key, across retries, redeliveries and crashes: the record is
 * written to a temporary file, then hard-linked to `<dir>/<key>.json` (`link(2)` fails with EEXIST
 * when the name exists, atomically), so a crash leaves either no record or a whole one, never two.
 * A step handler passes `ctx.idempotencyKey` (or the case id, for one effect per case) as `key`.
 * Each creation is also journalled: a line `<key>` appended to `<dir>/applied.log` once the record is
 * in place ({@link APPLIED_LOG}), so a checker can count how often each key's effect was applied (a
 * crash between the link and the append loses the line, never doubles it).
 *
 * @param dir - the effect's folder, created when missing
 * @param key - file-name-safe after `:` and `/` are replaced by `_`
 * @param make - builds the record; called only when none exists yet
 * @throws Error from the file system other than EEXIST (the folder not writable, the disk full)
 */
/** The journal of applications in an effect's folder: one line per record created, its key. */
export const APPLIED_LOG = 'applied.log';

export function writeOnce<T>(dir: string, key: string, make: () => T): WriteOnceResult<T> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key.replace(/[:/\\]/g, '_')}.json`);
  const existing = read<T>(path);
  if (existing !== undefined) return { record: existing, created: false, path };
  const record = make();
  const tmp = join(dir, `.tmp-${randomUUID()}`);
  writeFileSync(tmp, `${JSON.stringify(record)}\n`);
  try {
    linkSync(tmp, path);
    appendFileSync(join(dir, APPLIED_LOG), `${key}\n`);
    return { record, created: true, path };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { record: read<T>(path) as T, created: false, path };
  } finally {
    rmSync(tmp, { force: true });
  }
}

function read<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
