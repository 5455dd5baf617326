/**
 * `reply.withdraw`: the compensation of `text.draft`. A drafted reply has not been sent by
 * anything in this example, so withdrawing it means recording that it must not be: one JSON line
 * in `withdrawals.jsonl` beside the notifications file, once per step execution (keyed by the
 * idempotency key).
 */
import { withdrawalsFile } from '../config';
import { type StepContext } from '../context';
import { appendOnce } from '../files/append-once';

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
  const line = JSON.stringify({
    caseId: ctx.caseId,
    stepId: ctx.stepId,
    idempotencyKey: key,
    withdrawnAt: Date.now(),
    subject: typeof original?.subject === 'string' ? original.subject : null,
    model: typeof draft?.model === 'string' ? draft.model : null,
    reply,
  });
  await appendOnce(withdrawalsFile(), `withdraw:${key}`, line, (l) => (JSON.parse(l) as { idempotencyKey?: unknown }).idempotencyKey === key);
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
