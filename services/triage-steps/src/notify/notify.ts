/**
 * `notify`: the case's outcome as one JSON line in the notifications file, once per case.
 */
import { notifyFile } from '../config';
import { type StepContext } from '../context';
import { nonRetryable } from '../errors';
import { appendOnce, type AppendOnceOptions } from '../files/append-once';

/** Input of `notify`. */
export interface NotifyInput {
  readonly caseId: string;
  /** A JSON object (as text) whose fields follow `caseId` in the line. */
  readonly outcome: string;
}

/** Output of `notify`. */
export interface NotifyOutput {
  /** False when the case's line was already in the file (a redelivery, a concurrent duplicate). */
  readonly written: boolean;
  /** The absolute path of the notifications file. */
  readonly path: string;
}

/**
 * Appends `{caseId, ...outcome}` to `BATON_NOTIFY_FILE` (default `.baton/notifications.jsonl`)
 * unless the case already has its line (see `files/append-once.ts` for how that holds under
 * concurrency and crashes). An `outcome` that is not a JSON object fails with the non-retryable
 * `MalformedOutcome`; a `caseId` field inside it is ignored, the line's key is the input's.
 */
export async function notify(input: NotifyInput, _ctx?: StepContext, options?: AppendOnceOptions): Promise<NotifyOutput> {
  const caseId = input.caseId;
  if (typeof caseId !== 'string' || caseId === '') throw nonRetryable('MalformedOutcome', 'notify needs a caseId');
  let outcome: unknown;
  try {
    outcome = JSON.parse(input.outcome);
  } catch (err) {
    throw nonRetryable('MalformedOutcome', `the outcome of case ${caseId} is not JSON: ${(err as Error).message}`);
  }
  if (outcome === null || typeof outcome !== 'object' || Array.isArray(outcome)) {
    throw nonRetryable('MalformedOutcome', `the outcome of case ${caseId} must be a JSON object`);
  }
  const { caseId: _ignored, ...fields } = outcome as Record<string, unknown>;
  const path = notifyFile();
  const line = JSON.stringify({ caseId, ...fields });
  const { written } = await appendOnce(path, `case:${caseId}`, line, (l) => (JSON.parse(l) as { caseId?: unknown }).caseId === caseId, options);
  return { written, path };
}
