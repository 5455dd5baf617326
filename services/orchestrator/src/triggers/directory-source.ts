import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { log } from '@baton/observability';
import type { Landing, TriggerSource } from './trigger-source';

/** Options of {@link DirectorySource}. */
export interface DirectorySourceOptions {
  /** A glob on file names (picomatch), e.g. `*.eml`; default `*`. Names starting with `.` never match (write `.name.tmp`, then rename into place). */
  pattern?: string;
  /** Wait between scans, ms; default 250. */
  pollMs?: number;
  /** A file is complete once its size and modification time stayed the same this long, over at least two scans, ms; default 1 000. */
  stableMs?: number;
  clock?: () => number;
}

interface Seen { size: number; mtimeMs: number; since: number; scans: number; reported: boolean }

/**
 * Watches a directory (not its subdirectories) by polling: a file matching the pattern is reported
 * once it is complete (size and modification time unchanged for `stableMs` across two scans, so a
 * file still being written is not picked up half-done; a rename into place is complete at once
 * after that wait), and again only when its content changes.
 */
export class DirectorySource implements TriggerSource {
  readonly name: string;
  private readonly dir: string;
  private readonly match: (name: string) => boolean;
  private readonly seen = new Map<string, Seen>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(dir: string, private readonly options: DirectorySourceOptions = {}) {
    this.dir = resolve(dir);
    this.name = `dir:${this.dir}`;
    this.match = picomatch(options.pattern ?? '*', { dot: false });
  }

  start(onLanding: (landing: Landing) => Promise<void>): void {
    this.running = true;
    this.loop = this.run(onLanding);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One scan: the files that became complete since the last one. @throws file system errors other than a missing directory */
  async scan(): Promise<Landing[]> {
    const now = (this.options.clock ?? Date.now)();
    const stableMs = this.options.stableMs ?? 1000;
    let names: string[];
    try {
      names = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isFile() && this.match(d.name)).map((d) => d.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const present = new Set(names);
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    const landed: Landing[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      let s: { size: number; mtimeMs: number };
      try {
        s = await stat(path);
      } catch {
        continue; // gone between readdir and stat
      }
      const before = this.seen.get(name);
      if (!before || before.size !== s.size || before.mtimeMs !== s.mtimeMs) {
        this.seen.set(name, { size: s.size, mtimeMs: s.mtimeMs, since: now, scans: 1, reported: false });
        continue;
      }
      before.scans++;
      if (before.reported || before.scans < 2 || now - before.since < stableMs) continue;
      const sha256 = await sha256Of(path);
      before.reported = true;
      landed.push({ path, name, size: s.size, sha256, landedAt: now });
    }
    return landed;
  }

  private async run(onLanding: (landing: Landing) => Promise<void>): Promise<void> {
    while (this.running) {
      try {
        for (const landing of await this.scan()) {
          try {
            await onLanding(landing);
          } catch (error) {
            // Reported again at the next scan: the case start is keyed by content, so a repeat is harmless.
            const seen = this.seen.get(landing.name);
            if (seen) seen.reported = false;
            log('error', 'files', `${this.name}: starting a case for ${landing.path} failed: ${(error as Error).message}`);
          }
        }
      } catch (error) {
        log('error', 'files', `${this.name}: scanning failed: ${(error as Error).message}`);
      }
      if (!this.running) break;
      await new Promise<void>((done) => {
        const timer = setTimeout(done, this.options.pollMs ?? 250);
        this.wake = () => { clearTimeout(timer); done(); };
      });
      this.wake = null;
    }
  }
}

/** Lowercase hex SHA-256 of a file's content, streamed. */
function sha256Of(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (c) => hash.update(c)).on('error', fail).on('end', () => done(hash.digest('hex')));
  });
}
