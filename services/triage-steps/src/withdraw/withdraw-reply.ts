/**
 * `reply.withdraw`: the compensation of `text.draft`. A drafted reply has not been sent by
 * anything in this example, so withdrawing it means recording that it must not be: one JSON record
 * in `withdrawals/` beside the notifications folder, once per step execution (named from the
 * idempotency key).
 */
import { withdrawalsDir } from '../config';
import { type StepContext } from '../context';
import { writeRecordOnce } from '../files/write-once';

/** Input of `reply.withdraw`: the compensated step's input and output, as JSON text. */
export interface WithdrawInput {
  readonly input: string;
  readonly output: string;
}

/** Output of `reply.withdraw`. */
export interface WithdrawOutput {
  /** True when the withdrawal is on record (now or from an earlier delivery); false when the draft had no reply to withdraw. */
  readonly withdrawn: boolean;
}

/** Records the withdrawal of the reply in `input.output`. */
export async function withdrawReply(input: WithdrawInput, ctx: StepContext): Promise<WithdrawOutput> {
  const draft = parseObject(input.output);
  const reply = typeof draft?.reply === 'string' ? draft.reply : '';
  if (reply.trim() === '') return { withdrawn: false };
  const original = parseObject(input.input);
  const key = ctx.idempotencyKey;
  await writeRecordOnce(withdrawalsDir(), `withdraw:${key}`, {
    caseId: ctx.caseId,
    stepId: ctx.stepId,
    idempotencyKey: key,
    withdrawnAt: Date.now(),
    subject: typeof original?.subject === 'string' ? original.subject : null,
    model: typeof draft?.model === 'string' ? draft.model : null,
    reply,
  });
  return { withdrawn: true };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
