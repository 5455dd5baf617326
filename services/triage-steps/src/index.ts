/**
 * The inbox-triage example step types: the domain logic as plain async functions ({@link handlers}),
 * and the step SDK handler classes and Nest module that deploy them (`TriageStepsModule`, `src/main.ts`).
 */
import { type StepHandler } from './context';
import { type TriageStepType } from './step-types';
import { classifyText, type ClassifyInput, type ClassifyOutput } from './classify/classify-text';
import { draftReply } from './draft/draft-reply';
import { type DraftInput, type DraftOutput } from './draft/draft-types';
import { textEntities, type Entities, type EntitiesInput } from './entities/extract-entities';
import { noop, type NoopInput, type NoopOutput } from './noop/noop';
import { notify, type NotifyInput, type NotifyOutput } from './notify/notify';
import { parseEmail, type ParseEmailInput, type ParsedEmail } from './parse/parse-email';
import { quarantineMail, type QuarantineInput, type QuarantineOutput } from './quarantine/quarantine-mail';
import { textSentiment, type Sentiment, type SentimentInput } from './sentiment/sentiment';
import { withdrawReply, type WithdrawInput, type WithdrawOutput } from './withdraw/withdraw-reply';

export type { StepContext, StepHandler } from './context';
export { NonRetryableError, RetryableFailure, nonRetryable, retryable, isNonRetryable } from './errors';
export { TRIAGE_STEP_TYPES, parseStepTypes, UnknownTriageStepType } from './step-types';
export type { TriageStepType } from './step-types';
export { TriageStepsModule } from './service/triage-steps.module';
export type { TriageStepsOptions } from './service/triage-steps.module';
export { TRIAGE_STEP_HANDLERS, classifyWithMetering, draftWithMetering } from './service/handlers';
export { SPAM_CLASSIFIER, spamClassifierProvider } from './service/spam-classifier';
export { loadServiceConfig, DEFAULT_PORT } from './service/service-config';
export type { TriageServiceConfig } from './service/service-config';
export { INBOX_TRIAGE_FILE, loadInboxTriage } from './workflow/inbox-triage';
export { quarantineDir, notifyDir, withdrawalsDir, llmConfig } from './config';
export type { Env, LlmConfig } from './config';

export { parseEmail, MAX_TEXT_CHARS, MAX_RAW_CHARS } from './parse/parse-email';
export type { ParseEmailInput, ParsedEmail } from './parse/parse-email';
export { htmlToText } from './parse/html-text';

export { loadCorpus, heldOutCorpus, trainingCorpus, corpusSplit, idsDigest } from './corpus/corpus';
export type { CorpusEmail, SpamLabel } from './corpus/corpus';
export { splitOf, splitPoint, SPLIT_SALT, TRAIN_FRACTION } from './corpus/split';
export type { Split } from './corpus/split';

export { classifyText, loadClassifier, defaultClassifier, CLASSIFIER_MODEL_NAME } from './classify/classify-text';
export type { ClassifyInput, ClassifyOutput, LoadedClassifier } from './classify/classify-text';
export { SpamBayesModel } from './classify/bayes-model';
export type { SpamBayesModelFile, SpamScore } from './classify/bayes-model';
export { messageFeatures, FEATURES_VERSION } from './classify/features';
export { MODEL_DIR, MODEL_FILE_NAME, MODEL_META_FILE_NAME } from './classify/model-files';

export { quarantineMail, quarantineFileName } from './quarantine/quarantine-mail';
export type { QuarantineInput, QuarantineOutput, QuarantineRecord } from './quarantine/quarantine-mail';

export { textEntities, extractEntities, MAX_ENTITIES } from './entities/extract-entities';
export type { EntitiesInput, Entities } from './entities/extract-entities';

export { textSentiment, analyzeSentiment, POSITIVE_FROM, NEGATIVE_TO } from './sentiment/sentiment';
export type { SentimentInput, Sentiment } from './sentiment/sentiment';

export { draftReply, drafterFromEnv } from './draft/draft-reply';
export { OpenAiDrafter } from './draft/openai-drafter';
export { TemplateDrafter, TEMPLATE_MODEL } from './draft/template-drafter';
export { draftPrompt, countWords } from './draft/prompt';
export type { DraftInput, DraftOutput, Drafter } from './draft/draft-types';

export { notify } from './notify/notify';
export type { NotifyInput, NotifyOutput } from './notify/notify';
export { writeOnce, writeRecordOnce, readRecord, readRecords, keyFileName } from './files/write-once';

export { withdrawReply } from './withdraw/withdraw-reply';
export type { WithdrawInput, WithdrawOutput } from './withdraw/withdraw-reply';

export { noop } from './noop/noop';
export type { NoopInput, NoopOutput } from './noop/noop';

/** The handler of each step type, with its input and output types. */
export interface TriageHandlers extends Record<TriageStepType, StepHandler<never, unknown>> {
  'email.parse': StepHandler<ParseEmailInput, ParsedEmail>;
  'text.classify': StepHandler<ClassifyInput, ClassifyOutput>;
  'mail.quarantine': StepHandler<QuarantineInput, QuarantineOutput>;
  'text.entities': StepHandler<EntitiesInput, Entities>;
  'text.sentiment': StepHandler<SentimentInput, Sentiment>;
  'text.draft': StepHandler<DraftInput, DraftOutput>;
  notify: StepHandler<NotifyInput, NotifyOutput>;
  'reply.withdraw': StepHandler<WithdrawInput, WithdrawOutput>;
  noop: StepHandler<NoopInput, NoopOutput>;
}

/** Every handler by step type (inputs and outputs as in `contracts/schemas/steps/<type>/`). */
export const handlers: TriageHandlers = {
  'email.parse': parseEmail,
  'text.classify': classifyText,
  'mail.quarantine': quarantineMail,
  'text.entities': textEntities,
  'text.sentiment': textSentiment,
  'text.draft': draftReply,
  notify: (input, ctx) => notify(input, ctx),
  'reply.withdraw': withdrawReply,
  noop,
};
