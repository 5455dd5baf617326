/**
 * `mail.quarantine`: a quarantine record for the case's message, one JSON file per step execution
 * under `BATON_QUARANTINE_DIR` (default `.baton/quarantine`), named from the idempotency key.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quarantineDir } from '../config';
import { type StepContext } from '../context';
import { keyFileName, readRecord, writeOnce } from '../files/write-once';

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

/** The record's file name: the idempotency key made safe for a file name, plus a hash of it (`files/write-once.ts`). */
export const quarantineFileName: (idempotencyKey: string) => string = keyFileName;

/**
 * Writes the record once (`writeOnce`: whole or not at all, one writer wins), so a redelivery,
 * even a concurrent one, returns the first record's time and location.
 */
export async function quarantineMail(input: QuarantineInput, ctx: StepContext): Promise<QuarantineOutput> {
  const dir = quarantineDir();
  await mkdir(dir, { recursive: true });
  const location = join(dir, quarantineFileName(ctx.idempotencyKey));
  const existing = await readRecord<QuarantineRecord>(location);
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
  const written = await writeOnce(location, `${JSON.stringify(record, null, 2)}\n`);
  if (written) return { quarantinedAt: record.quarantinedAt, location };
  const winner = await readRecord<QuarantineRecord>(location);
  if (!winner) throw new Error(`${location}: the record of a concurrent call vanished`);
  return { quarantinedAt: winner.quarantinedAt, location };
}
