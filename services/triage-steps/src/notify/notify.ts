/**
 * `notify`: the case's outcome as one JSON record in the notifications folder, once per case.
 */
import { notifyDir } from '../config';
import { type StepContext } from '../context';
import { nonRetryable } from '../errors';
import { writeRecordOnce } from '../files/write-once';

/** Input of `notify`. */
export interface NotifyInput {
  readonly caseId: string;
  /** A JSON object (as text) whose fields follow `caseId` in the line. */
  readonly outcome: string;
}

/** Output of `notify`. */
export interface NotifyOutput {
  /** False when the case's record was already there (a redelivery, a concurrent duplicate). */
  readonly written: boolean;
  /** The absolute path of the case's record. */
  readonly path: string;
}

/**
 * Writes `{caseId, ...outcome}` as the case's record in `BATON_NOTIFY_DIR` (default
 * `.baton/notifications`), one file named from the case id, unless the case has one already (see
 * `files/write-once.ts` for how that holds under concurrency and crashes). An `outcome` that is not a JSON object fails with the non-retryable
 * `MalformedOutcome`; a `caseId` field inside it is ignored, the line's key is the input's.
 */
export async function notify(input: NotifyInput, _ctx?: StepContext): Promise<NotifyOutput> {
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
  return writeRecordOnce(notifyDir(), `case:${caseId}`, { caseId, ...fields });
}
