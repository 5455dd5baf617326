/**
 * The response bodies of the gateway (the `@baton/projections` views, the trace, problem details):
 * published in the OpenAPI document and read by the CLI as the types `Static` derives.
 * Every property is present in a response (an absent value is `null`) unless marked optional.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AnyJson, Bool, Int, JsonObject, MapOf, NInt, NNum, NStr, NTime, Nullable, OneOf, Str, Time } from './fields';
import { DECISIONS } from './requests';
import { WorkflowDefinition } from './workflow-definition';

/** A `$ref` to a component schema of the document. */
function Ref<T extends TSchema>(name: string, _of: T) {
  return Type.Unsafe<Static<T>>({ $ref: `#/components/schemas/${name}` });
}

const CASE_STATUSES = ['new', 'running', 'awaiting-review', 'compensating', 'completed', 'failed', 'cancelled'] as const;
const TASK_STATUSES = ['open', 'decided', 'withdrawn'] as const;
const DECIDED_BY = ['reviewer', 'timeout'] as const;

export const StepErrorBody = Type.Object({ name: Str(), message: Str(), retryable: Bool() });
const StepFailure = Type.Object({ stepId: Str(), error: StepErrorBody });

export const Problem = Type.Object({
  type: Type.String({ example: 'urn:baton:problem:validation' }), title: Str(), status: Int(), detail: Str(), instance: Type.String({ example: '/cases' }),
  errors: Type.Optional(Type.Array(Type.Object({
    field: Type.String({ example: 'input.receivedAt' }), message: Str(), step: Type.Optional(Type.String({ description: 'the step of a workflow definition issue' })),
  }), { description: 'every invalid field (400 only)' })),
}, { description: 'RFC 9457 problem details (application/problem+json)' });

export const StartedCase = Type.Object({
  caseId: Type.String({ format: 'uuid' }), workflow: Str(), version: Int(),
  deduplicated: Type.Boolean({ description: 'true when the key named a case already recorded; no trigger was sent' }),
});

const Usage = Type.Object({
  inputTokens: Int(), outputTokens: Int(), tokens: Type.Integer({ description: 'input + output' }),
  costMicros: Type.Integer({ description: 'US dollars in integer micro-dollars (1 USD = 1 000 000): sums never drift' }),
  cost: Type.String({ example: '1.250000', description: 'the same cost as a decimal with 6 places' }),
});
/** Case-level controls (libs/workflow-engine/README.md, Case-level controls). */
const CaseControls = Type.Object({
  paused: Nullable(Type.Object({ by: Type.String({ description: "the operator, or 'budget'" }), reason: NStr(), at: Time() })),
  deadlineAt: NTime(), timedOut: Bool(), budgetExceeded: Bool(), resets: Int(), usage: Usage,
}, { description: 'null on a summary not rewritten since the column was added' });

const ChildCase = Type.Object({ caseId: Str(), stepId: Str(), attempt: Int(), workflow: Str(), version: Int() }, { description: 'a child case a sub-workflow step started' });

export const CaseSummary = Type.Object({
  caseId: Str(), workflow: Str(), workflowVersion: Int(), status: OneOf(CASE_STATUSES), caseKey: NStr(), triggeredBy: NStr(), startedAt: Time(), finishedAt: NTime(),
  durationMs: NInt(), stepsInFlight: Type.Array(Str()),
  steps: MapOf(Type.Object({
    status: Str(), attempt: Int(), stepType: NStr(),
    items: Type.Optional(Type.Object({ total: Int(), pending: Int(), inFlight: Int(), completed: Int(), failed: Int(), maxConcurrency: Int() }, { description: 'a map step\'s items counted' })),
  })),
  failure: Nullable(StepFailure),
  cancellation: Nullable(Type.Object({ reason: Str(), requestedBy: Type.Optional(Str()) })),
  output: Nullable(JsonObject()), slaDueAt: NTime(), slaBreached: Bool(), eventCount: Int(), lastEventAt: Time(), updatedPosition: Int(),
  controls: Nullable(CaseControls),
  parentCaseId: Type.Optional(NStr()), children: Type.Optional(Type.Array(ChildCase)),
});

export const CasePage = Type.Object({
  items: Type.Array(Ref('CaseSummary', CaseSummary)),
  nextCursor: Nullable(Type.String({ description: 'pass as cursor for the next page; null on the last' })),
});

export const StepExecution = Type.Object({
  caseId: Str(), stepId: Str(), attempt: Int(), stepType: Str(), status: OneOf(['running', 'completed', 'failed', 'timed-out', 'abandoned'] as const),
  input: AnyJson, output: AnyJson, error: Nullable(StepErrorBody), scheduledAt: Time(), deadline: Time(), finishedAt: NTime(), durationMs: NInt(),
  model: NStr(), modelVersion: NStr(), inputTokens: NInt(), outputTokens: NInt(), costUsd: NNum(),
});

export const CaseDetail = Type.Object({ summary: Ref('CaseSummary', CaseSummary), executions: Type.Array(Ref('StepExecution', StepExecution)) });

export const CaseEvent = Type.Object({
  type: Type.String({ example: 'StepCompleted' }), data: JsonObject(), metadata: JsonObject(), streamPosition: Int(), globalPosition: Int(), eventId: Str(), recordedAt: Time(),
});

const TraceAttempt = Type.Object({
  attempt: Int(), status: Str(), startOffsetMs: Int(), durationMs: Int(), scheduledAt: Time(), finishedAt: NTime(), deadline: Time(), input: AnyJson, output: AnyJson,
  error: Nullable(StepErrorBody), model: NStr(), modelVersion: NStr(), inputTokens: NInt(), outputTokens: NInt(), costUsd: NNum(),
  queueWaitMs: Type.Optional(Type.Integer({ description: "ms the attempt waited for its step type's limits before it was sent (StepAdmitted); absent when it was not held" })),
});
const TraceReview = Type.Object({
  taskId: Str(), attempt: Int(), queue: Str(), reason: Str(), status: OneOf(TASK_STATUSES), escalated: Bool(),
  requestOffsetMs: Int(), requestedAt: Time(), decision: Nullable(OneOf(DECISIONS)),
  decidedBy: Nullable(OneOf(DECIDED_BY)), reviewer: NStr(), comment: NStr(), editedOutput: AnyJson, decidedAt: NTime(), waitMs: Int(),
});
const TraceItems = Type.Object({
  total: NInt(), attempts: Int(), running: Int(), completed: Int(), failed: Int(), timedOut: Int(), abandoned: Int(),
  firstStartOffsetMs: NInt(), lastFinishOffsetMs: NInt(), maxDurationMs: NInt(),
  failures: Type.Array(Type.Object({ index: Int(), attempt: Int(), status: Str(), error: AnyJson })),
}, { description: 'a map step\'s item attempts counted, not listed' });
const TraceStep = Type.Object({
  stepId: Str(), stepType: NStr(), status: Str(), skipReason: NStr(), startOffsetMs: NInt(), attempts: Type.Array(TraceAttempt), reviews: Type.Array(TraceReview),
  items: Type.Optional(TraceItems),
});

export const CaseTrace = Type.Object({
  caseId: Str(), workflow: Str(), version: Int(), status: OneOf(CASE_STATUSES), startedAt: Time(), finishedAt: NTime(), durationMs: Int(), generatedAt: Time(),
  failure: Nullable(StepFailure),
  totals: Type.Object({ attempts: Int(), inputTokens: Int(), outputTokens: Int(), costUsd: Type.Number() }),
  steps: Type.Array(TraceStep),
  controls: Type.Optional(Type.Object({
    paused: Nullable(Type.Object({ by: Str(), reason: NStr(), at: Time() })), deadlineAt: NTime(), timedOut: Bool(), budgetExceeded: Bool(), resets: Int(),
    usage: Usage,
  }, { description: 'pause, deadline, resets and usage (tokens, cost in integer micro-dollars), folded from the events' })),
  parentCaseId: Type.Optional(NStr()), children: Type.Optional(Type.Array(ChildCase)),
}, { description: 'the step-level timeline: steps in the order they first started, offsets from the case start (ms)' });

export const StuckCase = Type.Object({
  caseId: Str(), workflow: Str(), workflowVersion: Int(), status: OneOf(['running', 'awaiting-review', 'compensating'] as const),
  lastEvent: Nullable(Type.Object({ type: Str(), recordedAt: Time() })),
  reasons: Type.Array(Str(), { description: 'one sentence per problem, naming the step, attempt or task' }),
  missingTimers: Type.Array(Type.Object({
    timerId: Str(), kind: OneOf(['attempt-timeout', 'retry', 'review-timeout', 'case-timeout'] as const), stepId: Type.Optional(Str()), attempt: Type.Optional(Int()), dueAt: Time(),
  })),
  nothingPending: Bool(), repair: Type.String({ description: 'the command that repairs it' }),
});

export const SignalAccepted = Type.Object({ caseId: Str(), signalId: Type.String({ format: 'uuid' }) });

export const HumanTask = Type.Object({
  taskId: Str(), caseId: Str(), stepId: Str(), attempt: Int(), stepType: Str(), queue: Str(), status: OneOf(TASK_STATUSES),
  escalated: Bool(), reason: Str(), output: AnyJson, input: AnyJson,
  context: JsonObject({ description: '{ case: {id, input, workflow, version}, steps: {<id>: {input, output, status}} }' }),
  requestedAt: Time(), dueAt: NTime(), decision: Nullable(OneOf(DECISIONS)), decidedOutput: AnyJson,
  reviewer: NStr(), comment: NStr(), decidedBy: Nullable(OneOf(DECIDED_BY)), decidedAt: NTime(),
});

export const DecisionAccepted = Type.Object({ taskId: Str(), caseId: Str(), signalId: Type.String({ format: 'uuid' }) });

export const WorkflowVersion = Type.Object({ name: Str(), version: Int(), checksum: Type.String({ description: 'SHA-256 of the definition with sorted keys' }), registeredAt: Time() });
export const Workflow = Type.Object({ name: Str(), version: Int(), checksum: Str(), registeredAt: Time(), definition: Ref('WorkflowDefinition', WorkflowDefinition) });
export const RegisteredWorkflow = Type.Object({ created: Bool(), workflow: Ref('WorkflowVersion', WorkflowVersion) });
export const WorkflowGraph = Type.Object({
  name: Str(), version: Int(), mermaid: Type.String({ example: 'flowchart TD\n  parse["parse<br/>email.parse"]\n' }),
  nodes: Type.Record(Type.String(), Type.String(), { description: 'the Mermaid node id of each step id' }),
});

export const RegisteredSchema = Type.Object({ id: Int(), version: Int(), created: Bool() });
export const SchemaVersion = Type.Object({ subject: Str(), version: Int(), id: Int(), schema: Str(), fingerprint: Str() });
