/**
 * `mail.quarantine`: a quarantine record for the case's message, one JSON file per step execution
 * under `BATON_QUARANTINE_DIR` (default `.baton/quarantine`), named from the idempotency key.
 */
import { createHash } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quarantineDir } from '../config';
import { type StepContext } from '../context';

/** Input of `mail.quarantine`. */
export interface QuarantineInput {
  readonly messageId: string | null;
  readonly subject: string;
  readonly reason: string;
}

/** Output of `mail.quarantine`. */
export interface QuarantineOutput {
  /** Epoch ms of the first quarantine of this execution (the same on every redelivery). */
  readonly quarantinedAt: number;
  /** The absolute path of the record. */
  readonly location: string;
}

/** What the record file holds. */
export interface QuarantineRecord extends QuarantineInput {
  readonly caseId: string;
  readonly stepId: string;
  readonly idempotencyKey: string;
  readonly quarantinedAt: number;
}

/** The record's file name: the key made safe for a file name, plus a hash of the key so that different keys never collide. */
export function quarantineFileName(idempotencyKey: string): string {
  const safe = idempotencyKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${safe}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}.json`;
}

/**
 * Writes the record once: to a temporary file, then hard-linked to its final name (which fails if
 * it exists), so the record appears whole or not at all and a redelivery (even a concurrent one)
 * returns the first record's time and location.
 */
export async function quarantineMail(input: QuarantineInput, ctx: StepContext): Promise<QuarantineOutput> {
  const dir = quarantineDir();
  await mkdir(dir, { recursive: true });
  const location = join(dir, quarantineFileName(ctx.idempotencyKey));
  const existing = await readRecord(location);
  if (existing) return { quarantinedAt: existing.quarantinedAt, location };
  const record: QuarantineRecord = {
    caseId: ctx.caseId,
    stepId: ctx.stepId,
    idempotencyKey: ctx.idempotencyKey,
    messageId: input.messageId ?? null,
    subject: input.subject ?? '',
    reason: input.reason ?? '',
    quarantinedAt: Date.now(),
  };
  const tmp = `${location}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  try {
    await link(tmp, location);
    return { quarantinedAt: record.quarantinedAt, location };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = await readRecord(location);
    if (!winner) throw err;
    return { quarantinedAt: winner.quarantinedAt, location };
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readRecord(path: string): Promise<QuarantineRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as QuarantineRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
