/**
 * `@baton/http-contract`: every body of the gateway's HTTP API, declared once as JSON Schema with
 * TypeBox. The gateway validates requests against these schemas (ajv) and publishes them in its
 * OpenAPI document; the CLI uses the TypeScript types derived from them (`Static`). No Nest, no I/O:
 * a client imports it without the server's dependencies.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { CancelRequest, DecisionRequest, RegisterSchemaRequest, RepairRequest, RetryRequest, SignalRequest, StartCaseRequest } from './requests';
import { PauseRequest, ResetRequest, ResumeRequest } from './requests';
import {
  CaseDetail, CaseEvent, CasePage, CaseSummary, CaseTrace, DecisionAccepted, HumanTask, Problem, RegisteredSchema, RegisteredWorkflow, SchemaVersion,
  SignalAccepted, StartedCase, StepExecution, StuckCase, Workflow, WorkflowGraph, WorkflowVersion,
} from './responses';
import { WorkflowDefinition } from './workflow-definition';
import { BreakerStatusBody, LimitsRequest, ResolveStepRequest, StepTypeLimitsBody } from './flow-control';
import { Schedule, ScheduleList } from './schedules';
import { DevToken, DevTokenRequest } from './auth';

export { INT4_MAX, Text, PositiveInt, Nullable, AnyJson, JsonObject, MapOf, OneOf } from './fields';
export { DECISIONS, StartCaseRequest, RetryRequest, CancelRequest, RepairRequest, DecisionRequest, RegisterSchemaRequest, SignalRequest } from './requests';
export { PauseRequest, ResumeRequest, ResetRequest } from './requests';
export {
  StepErrorBody, Problem, StartedCase, CaseSummary, CasePage, StepExecution, CaseDetail, CaseEvent, CaseTrace, StuckCase, SignalAccepted, HumanTask,
  DecisionAccepted, WorkflowVersion, Workflow, RegisteredWorkflow, WorkflowGraph, RegisteredSchema, SchemaVersion,
} from './responses';
export { WorkflowDefinition } from './workflow-definition';
export { LimitsRequest, ResolveStepRequest, StepTypeLimitsBody, BreakerStatusBody, BreakerPolicyBody, RATE_PATTERN, parseRate } from './flow-control';
export { Schedule, ScheduleList } from './schedules';
export { DevToken, DevTokenRequest } from './auth';

/** The request bodies the gateway validates, by component name. */
export const REQUEST_BODIES = Object.freeze({ StartCaseRequest, RetryRequest, CancelRequest, RepairRequest, DecisionRequest, RegisterSchemaRequest, SignalRequest,
  PauseRequest, ResumeRequest, ResetRequest, LimitsRequest, ResolveStepRequest, DevTokenRequest });

/** Every body, by its component name in the OpenAPI document (`#/components/schemas/<name>`). */
export const HTTP_SCHEMAS = Object.freeze({
  ...REQUEST_BODIES,
  Problem, StartedCase, CaseSummary, CasePage, StepExecution, CaseDetail, CaseEvent, CaseTrace, StuckCase, SignalAccepted, HumanTask, DecisionAccepted,
  WorkflowDefinition, WorkflowVersion, Workflow, RegisteredWorkflow, WorkflowGraph, RegisteredSchema, SchemaVersion,
  StepTypeLimits: StepTypeLimitsBody, BreakerStatus: BreakerStatusBody,
  Schedule, ScheduleList,
  DevToken,
});

/** The name of a component schema. */
export type HttpSchemaName = keyof typeof HTTP_SCHEMAS;

/** The TypeScript type of a body, by name: `HttpBody<'CaseTrace'>`. */
export type HttpBody<N extends HttpSchemaName> = Static<(typeof HTTP_SCHEMAS)[N]>;

/** A `$ref` to the component schema `name`, for route decorators. */
export function schemaRef(name: HttpSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

export type { Static, TSchema };
