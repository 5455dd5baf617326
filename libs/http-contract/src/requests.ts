/**
 * The request bodies of the gateway: the gateway validates each body against its schema here
 * (every failing field named in a 400), the OpenAPI document publishes the same schema, and the
 * CLI sends the type `Static` derives from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { JsonObject, Nullable, OneOf, PositiveInt, Text } from './fields';

/** The review decisions. */
export const DECISIONS = ['approve', 'reject', 'edit'] as const;

/** `POST /cases`. */
export const StartCaseRequest = Type.Object({
  workflow: Text(undefined, { example: 'inbox-triage' }),
  version: Type.Optional(PositiveInt(undefined, { description: 'default: the newest registered version' })),
  input: JsonObject({ description: "the case input: must match the workflow's Avro input record (field names and types)" }),
  key: Type.Optional(Text(1000, { description: 'idempotency key: the same workflow and key always name the same case' })),
});
export type StartCaseRequest = Static<typeof StartCaseRequest>;

/** `POST /cases/{id}/retry`. */
export const RetryRequest = Type.Object({
  step: Text(undefined, { description: "the step to run again: one of the case workflow's steps (another is a 400)" }),
  requestedBy: Type.Optional(Text()),
});
export type RetryRequest = Static<typeof RetryRequest>;

/** `POST /cases/{id}/cancel`. */
export const CancelRequest = Type.Object({ reason: Text(2000), requestedBy: Type.Optional(Text()) });
export type CancelRequest = Static<typeof CancelRequest>;

/** `POST /cases/{id}/signals/{name}` (the body may be absent: a signal with no data). */
export const SignalRequest = Type.Object({
  data: Type.Optional(Type.Unknown({ description: "the signal's data, any JSON: the wait step's output" })),
  signalId: Type.Optional(Text(200, { description: 'idempotency key: a signal id the case already received is ignored; default a fresh UUID' })),
});
export type SignalRequest = Static<typeof SignalRequest>;

/** `POST /cases/{id}/repair` (the body may be absent). */
export const RepairRequest = Type.Object({ requestedBy: Type.Optional(Text()) });
export type RepairRequest = Static<typeof RepairRequest>;

/** `POST /cases/{id}/pause` (the body may be absent). */
export const PauseRequest = Type.Object({ reason: Type.Optional(Text(2000)), requestedBy: Type.Optional(Text()) });
export type PauseRequest = Static<typeof PauseRequest>;

/** `POST /cases/{id}/resume` (the body may be absent). */
export const ResumeRequest = Type.Object({ requestedBy: Type.Optional(Text()) });
export type ResumeRequest = Static<typeof ResumeRequest>;

/** `POST /cases/{id}/reset`. */
export const ResetRequest = Type.Object({
  step: Text(undefined, { description: "the step to run again from: one of the case workflow's steps (another is a 400); it and every step after it run again" }),
  reason: Type.Optional(Text(2000)),
  requestedBy: Type.Optional(Text()),
});
export type ResetRequest = Static<typeof ResetRequest>;

/** `POST /tasks/{id}/decision`. */
export const DecisionRequest = Type.Object({
  decision: OneOf(DECISIONS),
  output: Type.Optional(Nullable(JsonObject({ description: "edit only: the corrected output; must match the step type's output record (null: none)" }))),
  comment: Type.Optional(Text(4000)),
  reviewer: Type.Optional(Text()),
});
export type DecisionRequest = Static<typeof DecisionRequest>;

/** `POST /subjects/{subject}/versions` (the Confluent Schema Registry's body). */
export const RegisterSchemaRequest = Type.Object({
  schema: Text(undefined, { description: 'the Avro schema as JSON text' }),
  schemaType: Type.Optional(OneOf(['AVRO'] as const)),
});
export type RegisterSchemaRequest = Static<typeof RegisterSchemaRequest>;
