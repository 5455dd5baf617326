/**
 * `@baton/contracts`: every Avro schema that crosses a wire, loaded from `contracts/schemas`,
 * the topic names, and the TypeScript types generated from the schemas.
 */
export { loadContracts, listSchemaFiles, CONTRACTS_SCHEMA_DIR } from './load-contracts';
export type { LoadContractsOptions } from './load-contracts';
export { stepContract, stepTypes } from './step-contract';
export type { StepContract } from './step-contract';
export { Topics, stepTopic, deadLetterTopic, STEP_TOPIC_PREFIX, DEAD_LETTER_SUFFIX } from './topics';
export { ContractNames, STEP_RESULT_NAMES, SIGNAL_NAMES, STEP_TYPE_PATTERN, stepNamespace, stepSchemaNames } from './contract-names';
export { ContractLayoutError, UnknownStepTypeError } from './errors';
export { topicNames, type TopicNames } from './topic-names';
export { caseIdFor } from './case-id';
export { checkCompatibility, type CompatVerdict } from './compat';
export { MAX_MESSAGE_BYTES, MAX_CASE_INPUT_JSON_BYTES, DEFAULT_CLAIM_THRESHOLD_BYTES } from './limits';

// <generated-types> (written by contracts/tools/generate.ts)
export type * as Wire from './generated/wire';
export type { InboxMessage } from './generated/examples-inbox-message';
export type { EmailParseInput } from './generated/steps-email-parse-input';
export type { EmailParseOutput } from './generated/steps-email-parse-output';
export type { MailQuarantineInput } from './generated/steps-mail-quarantine-input';
export type { MailQuarantineOutput } from './generated/steps-mail-quarantine-output';
export type { NoopInput } from './generated/steps-noop-input';
export type { NoopOutput } from './generated/steps-noop-output';
export type { NotifyInput } from './generated/steps-notify-input';
export type { NotifyOutput } from './generated/steps-notify-output';
export type { ReplyWithdrawInput } from './generated/steps-reply-withdraw-input';
export type { ReplyWithdrawOutput } from './generated/steps-reply-withdraw-output';
export type { TextClassifyInput } from './generated/steps-text-classify-input';
export type { TextClassifyOutput } from './generated/steps-text-classify-output';
export type { TextDraftInput, TextDraftEntities, TextDraftSentiment } from './generated/steps-text-draft-input';
export type { TextDraftOutput } from './generated/steps-text-draft-output';
export type { TextEntitiesInput } from './generated/steps-text-entities-input';
export type { TextEntitiesOutput } from './generated/steps-text-entities-output';
export type { TextSentimentInput } from './generated/steps-text-sentiment-input';
export type { TextSentimentOutput } from './generated/steps-text-sentiment-output';
// </generated-types>
