/**
 * The inbox-triage step types as step SDK handlers: one `@StepHandler` class per type, each a thin
 * wrapper that passes the SDK's context (case id, step id, attempt, idempotency key, params,
 * signal) to the step function, and reports model usage for the AI steps.
 *
 * Failures come from the step functions as the SDK expects them: `NonRetryableError`
 * (`MalformedEmail`, `MalformedOutcome`, `LlmRequestRejected`) or a retryable error.
 */
import { Inject } from '@nestjs/common';
import { StepHandler, type Step, type StepContext } from '@baton/step-sdk';
import { classifyText, type ClassifyInput, type ClassifyOutput, type LoadedClassifier } from '../classify/classify-text';
import { draftReply } from '../draft/draft-reply';
import type { DraftInput, DraftOutput } from '../draft/draft-types';
import { textEntities, type Entities, type EntitiesInput } from '../entities/extract-entities';
import { noop, type NoopInput, type NoopOutput } from '../noop/noop';
import { notify, type NotifyInput, type NotifyOutput } from '../notify/notify';
import { parseEmail, type ParseEmailInput, type ParsedEmail } from '../parse/parse-email';
import { quarantineMail, type QuarantineInput, type QuarantineOutput } from '../quarantine/quarantine-mail';
import { textSentiment, type Sentiment, type SentimentInput } from '../sentiment/sentiment';
import { withdrawReply, type WithdrawInput, type WithdrawOutput } from '../withdraw/withdraw-reply';
import { SPAM_CLASSIFIER } from './spam-classifier';

/** `email.parse`: a raw RFC 5322 message to subject, from, to, date, text, message id. */
@StepHandler('email.parse')
export class ParseEmailStep implements Step<ParseEmailInput, ParsedEmail> {
  handle(input: ParseEmailInput, ctx: StepContext): Promise<ParsedEmail> {
    return parseEmail(input, ctx);
  }
}

/** `text.classify`: spam or ham with the model loaded at start; metering names the model and its version (no tokens, no cost). */
@StepHandler('text.classify')
export class ClassifyTextStep implements Step<ClassifyInput, ClassifyOutput> {
  constructor(@Inject(SPAM_CLASSIFIER) private readonly classifier: LoadedClassifier) {}

  async handle(input: ClassifyInput, ctx: StepContext): Promise<ClassifyOutput> {
    const output = await classifyText(input, ctx, this.classifier);
    ctx.reportMetering({ model: output.model, modelVersion: output.modelVersion, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    return output;
  }
}

/** `mail.quarantine`: a quarantine record, written once per idempotency key. */
@StepHandler('mail.quarantine')
export class QuarantineMailStep implements Step<QuarantineInput, QuarantineOutput> {
  handle(input: QuarantineInput, ctx: StepContext): Promise<QuarantineOutput> {
    return quarantineMail(input, ctx);
  }
}

/** `text.entities`: people, organizations, dates and amounts in the text. */
@StepHandler('text.entities')
export class TextEntitiesStep implements Step<EntitiesInput, Entities> {
  handle(input: EntitiesInput, ctx: StepContext): Promise<Entities> {
    return textEntities(input, ctx);
  }
}

/** `text.sentiment`: score, comparative and label of the text. */
@StepHandler('text.sentiment')
export class TextSentimentStep implements Step<SentimentInput, Sentiment> {
  handle(input: SentimentInput, ctx: StepContext): Promise<Sentiment> {
    return textSentiment(input, ctx);
  }
}

/** `text.draft`: a reply draft (LLM or local template); metering carries the model, tokens and cost. */
@StepHandler('text.draft')
export class DraftReplyStep implements Step<DraftInput, DraftOutput> {
  async handle(input: DraftInput, ctx: StepContext): Promise<DraftOutput> {
    const output = await draftReply(input, ctx);
    ctx.reportMetering({ model: output.model, inputTokens: output.inputTokens, outputTokens: output.outputTokens, costUsd: output.costUsd });
    return output;
  }
}

/** `notify`: the case's outcome as one JSON line, once per case. */
@StepHandler('notify')
export class NotifyStep implements Step<NotifyInput, NotifyOutput> {
  handle(input: NotifyInput, ctx: StepContext): Promise<NotifyOutput> {
    return notify(input, ctx);
  }
}

/** `reply.withdraw`: the compensation of `text.draft`. */
@StepHandler('reply.withdraw')
export class WithdrawReplyStep implements Step<WithdrawInput, WithdrawOutput> {
  handle(input: WithdrawInput, ctx: StepContext): Promise<WithdrawOutput> {
    return withdrawReply(input, ctx);
  }
}

/** `noop`: `{ ok: true }`, for benchmarks. */
@StepHandler('noop')
export class NoopStep implements Step<NoopInput, NoopOutput> {
  handle(input: NoopInput, ctx: StepContext): Promise<NoopOutput> {
    return noop(input, ctx);
  }
}
