/**
 * The inbox-triage step types as step SDK handlers: each step function registered with
 * `stepHandler(type, fn)`; the SDK passes its context (case id, step id, attempt, idempotency
 * key, params, signal) straight to it. The two model steps also report model usage.
 *
 * Failures come from the step functions as the SDK expects them: `NonRetryableError`
 * (`MalformedEmail`, `MalformedOutcome`, `LlmRequestRejected`) or a retryable error.
 */
import { stepHandler, type StepContext, type StepFn, type StepFunction } from '@baton/step-sdk';
import { classifyText, type ClassifyInput, type ClassifyOutput, type LoadedClassifier } from '../classify/classify-text';
import { draftReply } from '../draft/draft-reply';
import type { DraftInput, DraftOutput } from '../draft/draft-types';
import { textEntities } from '../entities/extract-entities';
import { noop } from '../noop/noop';
import { notify } from '../notify/notify';
import { parseEmail } from '../parse/parse-email';
import { quarantineMail } from '../quarantine/quarantine-mail';
import { textSentiment } from '../sentiment/sentiment';
import type { TriageStepType } from '../step-types';
import { withdrawReply } from '../withdraw/withdraw-reply';
import { SPAM_CLASSIFIER } from './spam-classifier';

/** `text.classify` with `classifier`: spam or ham; metering names the model and its version (no tokens, no cost). */
export function classifyWithMetering(classifier: LoadedClassifier): StepFn<ClassifyInput, ClassifyOutput> {
  return async (input, ctx) => {
    const output = await classifyText(input, ctx, classifier);
    ctx.reportMetering({ model: output.model, modelVersion: output.modelVersion, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    return output;
  };
}

/** `text.draft`: a reply draft (LLM or local template); metering carries the model, tokens and cost. */
export async function draftWithMetering(input: DraftInput, ctx: StepContext): Promise<DraftOutput> {
  const output = await draftReply(input, ctx);
  ctx.reportMetering({ model: output.model, inputTokens: output.inputTokens, outputTokens: output.outputTokens, costUsd: output.costUsd });
  return output;
}

/** The handler of each step type; `text.classify` gets the model loaded at start ({@link SPAM_CLASSIFIER}). */
export const TRIAGE_STEP_HANDLERS: Readonly<Record<TriageStepType, StepFunction<never, unknown>>> = Object.freeze({
  'email.parse': stepHandler('email.parse', parseEmail),
  'text.classify': stepHandler('text.classify', { inject: [SPAM_CLASSIFIER], useFactory: classifyWithMetering }),
  'mail.quarantine': stepHandler('mail.quarantine', quarantineMail),
  'text.entities': stepHandler('text.entities', textEntities),
  'text.sentiment': stepHandler('text.sentiment', textSentiment),
  'text.draft': stepHandler('text.draft', draftWithMetering),
  notify: stepHandler('notify', notify),
  'reply.withdraw': stepHandler('reply.withdraw', withdrawReply),
  noop: stepHandler('noop', noop),
});
