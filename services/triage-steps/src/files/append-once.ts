/**
 * Appends a line to a JSON-lines file at most once per key, across redeliveries, concurrent
 * calls in one process and concurrent calls from several processes sharing the file system.
 *
 * ## How
 *
 * Beside `file` sits a folder `<file>.once/` with, per key (named by the SHA-256 of the key):
 *
 * - `<h>.claim.<n>`: who owns epoch `n` of the key (`{pid, host, at}`), created with `O_EXCL`;
 * - `<h>.done`: the line is in the file.
 *
 * A caller returns `written: false` as soon as `done` exists. Otherwise it claims epoch 1 with an
 * exclusive create; exactly one caller wins, the others wait for `done`. The owner appends the
 * line (one `write` on an `O_APPEND` descriptor, then `fdatasync`), then creates `done`.
 *
 * If the owner crashes, its claim goes stale (its process is gone on this host and the claim is
 * older than `deadOwnerGraceMs`, or the claim is older than `staleAfterMs`, for owners on other
 * hosts), and a waiter claims epoch `n + 1`, again with an exclusive create, so exactly one
 * waiter takes over, and no lock file is ever deleted or broken (deleting a stale lock races with
 * the next owner's create; numbered epochs cannot). An owner of an epoch above 1 cannot know
 * whether its predecessor crashed before or after appending, so it scans the file for the key
 * (only then: the common path never reads the file) and appends only if the line is missing.
 *
 * Why not a marker alone: a marker created before the append loses the line when the process
 * dies in between; a marker created after it duplicates the line. Why not a scan alone: two
 * concurrent callers both scan, both miss, both append.
 *
 * Residual risk: an owner on another host that stalls for longer than `staleAfterMs` between its
 * claim and its append, then wakes up, appends after its successor did. Steps are bounded by their
 * attempt timeout, which should be shorter than `staleAfterMs`.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryable } from '../errors';

/** Tuning of {@link appendOnce}. */
export interface AppendOnceOptions {
  /** A claim older than this is stale whoever owns it (default 30 s). */
  readonly staleAfterMs?: number;
  /** A claim by a process of this host that no longer exists is stale once this old (default 1 s). */
  readonly deadOwnerGraceMs?: number;
  /** How long to wait for another owner before failing with a retryable `AppendBusy` (default 10 s). */
  readonly waitMs?: number;
}

/** What {@link appendOnce} did. */
export interface AppendOnceResult {
  /** True when this call appended the line; false when it was already there. */
  readonly written: boolean;
}

interface Claim {
  readonly pid: number;
  readonly host: string;
  readonly at: number;
}

/** The folder of claim and done markers of `file`. */
export function markerDir(file: string): string {
  return `${file}.once`;
}

/**
 * Appends `line` (without its newline) to `file` unless the key's line is already there;
 * `isSameKey(existingLine)` recognises the key's line when a takeover must scan the file.
 */
export async function appendOnce(
  file: string,
  key: string,
  line: string,
  isSameKey: (existingLine: string) => boolean,
  options: AppendOnceOptions = {},
): Promise<AppendOnceResult> {
  if (line.includes('\n')) throw new Error('appendOnce appends one line: the line contains a newline');
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const graceMs = options.deadOwnerGraceMs ?? 1_000;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  const dir = markerDir(file);
  await mkdir(dir, { recursive: true });
  await mkdir(dirname(file), { recursive: true });
  const base = `${dir}/${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
  const done = `${base}.done`;

  let pause = 2;
  for (;;) {
    if (await exists(done)) return { written: false };
    const epoch = await lastEpoch(base);
    if (epoch === 0 || (await isStale(`${base}.claim.${epoch}`, staleAfterMs, graceMs))) {
      const claim: Claim = { pid: process.pid, host: hostname(), at: Date.now() };
      if (await createExclusive(`${base}.claim.${epoch + 1}`, JSON.stringify(claim))) {
        return own(epoch + 1);
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw retryable('AppendBusy', `${file}: key "${key}" has been claimed by another writer (${base}.claim.${epoch}) for too long`);
    }
    await sleep(pause);
    pause = Math.min(50, pause * 2);
  }

  async function own(epoch: number): Promise<AppendOnceResult> {
    let prefix = '';
    if (epoch > 1) {
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw err;
      });
      if (text.split('\n').some((l) => l.trim() !== '' && safe(() => isSameKey(l)))) {
        await createExclusive(done, '');
        return { written: false };
      }
      // A predecessor killed in the middle of a write may have left half a line.
      if (text.length > 0 && !text.endsWith('\n')) prefix = '\n';
    }
    const fh = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
    try {
      await fh.write(`${prefix}${line}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await createExclusive(done, '');
    return { written: true };
  }
}

/** The highest claimed epoch of a key, 0 when none. */
async function lastEpoch(base: string): Promise<number> {
  let n = 0;
  while (await exists(`${base}.claim.${n + 1}`)) n += 1;
  return n;
}

async function isStale(path: string, staleAfterMs: number, graceMs: number): Promise<boolean> {
  let claim: Claim | undefined;
  let at: number;
  try {
    const text = await readFile(path, 'utf8');
    claim = safe(() => JSON.parse(text) as Claim);
    at = typeof claim?.at === 'number' ? claim.at : (await stat(path)).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const age = Date.now() - at;
  if (age > staleAfterMs) return true;
  return claim !== undefined && claim.host === hostname() && age > graceMs && !processAlive(claim.pid);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
