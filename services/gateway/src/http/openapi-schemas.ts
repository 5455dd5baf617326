import type { SchemaObject } from '@nestjs/swagger';
import { positiveIntField, textField } from './field-rules';

/**
 * The OpenAPI component schemas of the gateway's bodies, written once here (rather than as DTO
 * classes) from the types they describe: `@baton/projections` views, the trace, problem details.
 * Routes refer to them with {@link ref}; `openapi.ts` adds them to the document.
 */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;
const ntime = { type: 'string', format: 'date-time', nullable: true } as const;
const int = { type: 'integer' } as const;
const nint = { type: 'integer', nullable: true } as const;
const nnum = { type: 'number', nullable: true } as const;
const any = { description: 'any JSON value', nullable: true } as const;

const stepError: SchemaObject = { type: 'object', properties: { name: str, message: str, retryable: { type: 'boolean' } }, required: ['name', 'message', 'retryable'] };
const caseStatus: SchemaObject = { type: 'string', enum: ['new', 'running', 'awaiting-review', 'compensating', 'completed', 'failed', 'cancelled'] };

export const openApiSchemas: Record<string, SchemaObject> = {
  Problem: {
    type: 'object', description: 'RFC 9457 problem details (application/problem+json)', required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { ...str, example: 'urn:baton:problem:validation' }, title: str, status: int, detail: str, instance: { ...str, example: '/cases' },
      errors: {
        type: 'array', description: 'every invalid field (400 only)',
        items: { type: 'object', required: ['field', 'message'], properties: { field: { ...str, example: 'input.receivedAt' }, message: str, step: { ...str, description: 'the step of a workflow definition issue' } } },
      },
    },
  },
  StartCaseRequest: {
    type: 'object', required: ['workflow', 'input'],
    properties: {
      workflow: textField(undefined, { example: 'inbox-triage' }),
      version: positiveIntField(undefined, { description: 'default: the newest registered version' }),
      input: { type: 'object', description: "the case input: must match the workflow's Avro input record (field names and types)" },
      key: textField(1000, { description: 'idempotency key: the same workflow and key always name the same case' }),
    },
  },
  StartedCase: {
    type: 'object', required: ['caseId', 'workflow', 'version', 'deduplicated'],
    properties: { caseId: { ...str, format: 'uuid' }, workflow: str, version: int, deduplicated: { type: 'boolean', description: 'true when the key named a case already recorded; no trigger was sent' } },
  },
  CaseSummary: {
    type: 'object',
    properties: {
      caseId: str, workflow: str, workflowVersion: int, status: caseStatus, caseKey: nstr, triggeredBy: nstr, startedAt: time, finishedAt: ntime,
      durationMs: nint, stepsInFlight: { type: 'array', items: str },
      steps: { type: 'object', additionalProperties: { type: 'object', properties: { status: str, attempt: int, stepType: nstr } } },
      failure: { type: 'object', nullable: true, properties: { stepId: str, error: stepError } },
      cancellation: { type: 'object', nullable: true, properties: { reason: str, requestedBy: str } },
      output: { type: 'object', nullable: true }, slaDueAt: ntime, slaBreached: { type: 'boolean' }, eventCount: int, lastEventAt: time, updatedPosition: int,
    },
  },
  CasePage: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/CaseSummary' } }, nextCursor: { ...nstr, description: 'pass as cursor for the next page; null on the last' } } },
  StepExecution: {
    type: 'object',
    properties: {
      caseId: str, stepId: str, attempt: int, stepType: str, status: { type: 'string', enum: ['running', 'completed', 'failed', 'timed-out', 'abandoned'] },
      input: any, output: any, error: { ...stepError, nullable: true }, scheduledAt: time, deadline: time, finishedAt: ntime, durationMs: nint,
      model: nstr, modelVersion: nstr, inputTokens: nint, outputTokens: nint, costUsd: nnum,
    },
  },
  CaseDetail: { type: 'object', properties: { summary: { $ref: '#/components/schemas/CaseSummary' }, executions: { type: 'array', items: { $ref: '#/components/schemas/StepExecution' } } } },
  CaseEvent: {
    type: 'object',
    properties: { type: { ...str, example: 'StepCompleted' }, data: { type: 'object' }, metadata: { type: 'object' }, streamPosition: int, globalPosition: int, eventId: str, recordedAt: time },
  },
  CaseTrace: {
    type: 'object', description: 'the step-level timeline: steps in the order they first started, offsets from the case start (ms)',
    properties: {
      caseId: str, workflow: str, version: int, status: caseStatus, startedAt: time, finishedAt: ntime, durationMs: int, generatedAt: time,
      failure: { type: 'object', nullable: true, properties: { stepId: str, error: stepError } },
      totals: { type: 'object', properties: { attempts: int, inputTokens: int, outputTokens: int, costUsd: { type: 'number' } } },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            stepId: str, stepType: nstr, status: str, skipReason: nstr, startOffsetMs: nint,
            attempts: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  attempt: int, status: str, startOffsetMs: int, durationMs: int, scheduledAt: time, finishedAt: ntime, deadline: time, input: any, output: any,
                  error: { ...stepError, nullable: true }, model: nstr, modelVersion: nstr, inputTokens: nint, outputTokens: nint, costUsd: nnum,
                },
              },
            },
            reviews: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  taskId: str, attempt: int, queue: str, reason: str, status: { type: 'string', enum: ['open', 'decided', 'withdrawn'] }, escalated: { type: 'boolean' },
                  requestOffsetMs: int, requestedAt: time, decision: { type: 'string', enum: ['approve', 'reject', 'edit'], nullable: true },
                  decidedBy: { type: 'string', enum: ['reviewer', 'timeout'], nullable: true }, reviewer: nstr, comment: nstr, editedOutput: any, decidedAt: ntime, waitMs: int,
                },
              },
            },
          },
        },
      },
    },
  },
  RetryRequest: { type: 'object', required: ['step'], properties: { step: textField(undefined, { description: "the step to run again: one of the case workflow's steps (another is a 400)" }), requestedBy: textField() } },
  CancelRequest: { type: 'object', required: ['reason'], properties: { reason: textField(2000), requestedBy: textField() } },
  RepairRequest: { type: 'object', properties: { requestedBy: textField() } },
  StuckCase: {
    type: 'object',
    properties: {
      caseId: str, workflow: str, workflowVersion: int, status: { type: 'string', enum: ['running', 'awaiting-review', 'compensating'] },
      lastEvent: { type: 'object', nullable: true, properties: { type: str, recordedAt: time } },
      reasons: { type: 'array', items: str, description: 'one sentence per problem, naming the step, attempt or task' },
      missingTimers: { type: 'array', items: { type: 'object', properties: { timerId: str, kind: { type: 'string', enum: ['attempt-timeout', 'retry', 'review-timeout'] }, stepId: str, attempt: int, dueAt: time } } },
      nothingPending: { type: 'boolean' }, repair: { ...str, description: 'the command that repairs it' },
    },
  },
  SignalAccepted: { type: 'object', properties: { caseId: str, signalId: { ...str, format: 'uuid' } } },
  HumanTask: {
    type: 'object',
    properties: {
      taskId: str, caseId: str, stepId: str, attempt: int, stepType: str, queue: str, status: { type: 'string', enum: ['open', 'decided', 'withdrawn'] },
      escalated: { type: 'boolean' }, reason: str, output: any, input: any,
      context: { type: 'object', description: '{ case: {id, input, workflow, version}, steps: {<id>: {input, output, status}} }' },
      requestedAt: time, dueAt: ntime, decision: { type: 'string', enum: ['approve', 'reject', 'edit'], nullable: true }, decidedOutput: any,
      reviewer: nstr, comment: nstr, decidedBy: { type: 'string', enum: ['reviewer', 'timeout'], nullable: true }, decidedAt: ntime,
    },
  },
  DecisionRequest: {
    type: 'object', required: ['decision'],
    properties: {
      decision: { type: 'string', enum: ['approve', 'reject', 'edit'] },
      output: { type: 'object', description: "edit only: the corrected output; must match the step type's output record" },
      comment: textField(4000), reviewer: textField(),
    },
  },
  DecisionAccepted: { type: 'object', properties: { taskId: str, caseId: str, signalId: { ...str, format: 'uuid' } } },
  WorkflowDefinition: {
    type: 'object', required: ['name', 'version', 'steps'], description: 'a workflow definition as written (field reference: libs/workflow-engine/README.md); also accepted as YAML',
    properties: {
      name: { ...str, example: 'inbox-triage' }, version: positiveIntField(), input: { ...str, example: 'baton.examples.InboxMessage' }, sla: { ...str, example: 'PT2M' },
      steps: {
        type: 'object', minProperties: 1,
        additionalProperties: {
          type: 'object', required: ['type'],
          properties: {
            type: str, needs: { type: 'array', items: str }, when: str, input: str, with: { type: 'object' },
            retry: { type: 'object', properties: { maxAttempts: int, initialInterval: str, backoffCoefficient: { type: 'number' }, maxInterval: str, jitter: { type: 'number' }, nonRetryable: { type: 'array', items: str } } },
            timeout: str, fallback: str, compensate: str,
            review: { type: 'object', properties: { when: str, queue: str, timeout: str, onTimeout: { type: 'string', enum: ['escalate', 'approve', 'reject'] } } },
          },
        },
      },
    },
  },
  WorkflowVersion: { type: 'object', properties: { name: str, version: int, checksum: { ...str, description: 'SHA-256 of the definition with sorted keys' }, registeredAt: time } },
  Workflow: {
    type: 'object',
    properties: { name: str, version: int, checksum: str, registeredAt: time, definition: { $ref: '#/components/schemas/WorkflowDefinition' } },
  },
  RegisteredWorkflow: { type: 'object', properties: { created: { type: 'boolean' }, workflow: { $ref: '#/components/schemas/WorkflowVersion' } } },
  WorkflowGraph: { type: 'object', properties: { name: str, version: int, mermaid: { ...str, example: 'flowchart TD\n  parse["parse<br/>email.parse"]\n' }, nodes: { type: 'object', additionalProperties: str, description: 'the Mermaid node id of each step id' } } },
};

/** A `$ref` to one of {@link openApiSchemas}. */
export function ref(name: keyof typeof openApiSchemas & string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
