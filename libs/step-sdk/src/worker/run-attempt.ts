import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { toPlain, validationProblems, type SchemaCatalog } from '@baton/avro';
import type { ClaimCheck } from '@baton/claims';
import { ContractNames, type TopicNames, type Wire } from '@baton/contracts';
import { extractTraceContext, type ConsumedMessage, type OutgoingMessage } from '@baton/kafka';
import { AttemptContext } from './attempt-context';
import type { BoundHandler } from './bound-handler';
import { resultHeaders } from './result-headers';
import { runUntilDeadline } from './run-until-deadline';
import { sdkStepError, SdkErrorNames, toStepError } from './step-error';
import { createStepLogger } from './step-logger';
import type { StepMetrics, StepOutcome } from './step-metrics';
import { completedResult, failedResult, heartbeatOf } from './step-results';

/** What {@link runAttempt} needs from the worker. @internal */
export interface AttemptDeps {
  catalog: SchemaCatalog;
  topics: TopicNames;
  metrics: StepMetrics;
  /** The `worker` field of results. */
  worker: string;
  heartbeatIntervalMs: number;
  /** Sends heartbeats (results are returned, not sent, so the worker can keep one it failed to send). */
  send: (messages: OutgoingMessage[]) => Promise<unknown>;
  now: () => number;
  /** The claim check: resolves a referenced input, offloads a large output. */
  claims?: ClaimCheck;
}

/** How an attempt ended, and the result to publish (`null`: publish nothing). @internal */
export interface AttemptResult {
  outcome: StepOutcome;
  message: OutgoingMessage | null;
}

const tracer = trace.getTracer('@baton/step-sdk');

/**
 * Runs one attempt, from the request to the result it publishes, inside an `attempt <type>`
 * span (a child of the consumer's `process <topic>` span, or of the request's trace headers): decode the input with the type's input contract, run the handler
 * until the deadline, check the output against the output contract, and build the
 * `StepCompleted` or `StepFailed`. Never throws for anything the handler or the request did;
 * the result says it.
 * @internal
 */
export function runAttempt(deps: AttemptDeps, bound: BoundHandler, m: ConsumedMessage<Wire.StepRequest>): Promise<AttemptResult> {
  const r = m.value;
  const active = context.active();
  const parent = trace.getSpan(active) ? active : extractTraceContext(m.headers);
  const span = tracer.startSpan(`attempt ${r.stepType}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'baton.case_id': r.caseId,
      'baton.step_id': r.stepId,
      'baton.step_type': r.stepType,
      'baton.attempt': r.attempt,
    },
  }, parent);
  const traced = trace.setSpan(parent, span);
  return context.with(traced, async () => {
    try {
      const result = await attempt(deps, bound, m, traced);
      span.setAttribute('baton.step.outcome', result.outcome);
      if (result.outcome !== 'completed') span.setStatus({ code: SpanStatusCode.ERROR, message: result.outcome });
      return result;
    } finally {
      span.end();
    }
  });
}

async function attempt(deps: AttemptDeps, bound: BoundHandler, m: ConsumedMessage<Wire.StepRequest>, traceContext: Context): Promise<AttemptResult> {
  const r = m.value;
  const { catalog, metrics } = deps;
  const startedAt = deps.now();
  const logger = createStepLogger({ caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt });
  const times = () => ({ startedAt, finishedAt: deps.now(), worker: deps.worker });
  const failure = (outcome: StepOutcome, error: Wire.StepError): AttemptResult => {
    const value = failedResult(r, error, times());
    logger.warn(`attempt failed: ${error.name}: ${error.message}`, { outcome, retryable: error.retryable });
    return { outcome, message: { topic: deps.topics.stepResults, key: r.caseId, value: catalog.encode(ContractNames.StepFailed, value), headers: resultHeaders(r.caseId, value.resultId, traceContext, m.headers) } };
  };

  let rawInput: Buffer;
  try {
    rawInput = await resolveInput(deps, r);
  } catch (error) {
    return failure('retryable_failed', { name: SdkErrorNames.claimUnavailable, message: `the input of step '${r.stepId}' (attempt ${r.attempt} of case ${r.caseId}) is a claim reference that cannot be read: ${(error as Error).message}`, retryable: true, details: null, retryAfterMs: null });
  }
  let input: unknown;
  try {
    input = toPlain(catalog.decode(rawInput, bound.contract.inputName).value);
  } catch (error) {
    return failure('invalid_input', sdkStepError(SdkErrorNames.inputSchemaViolation, `the input of step '${r.stepId}' (attempt ${r.attempt} of case ${r.caseId}) is not a ${r.stepType} input (${bound.contract.inputName}): ${(error as Error).message}`));
  }
  let params: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(r.params);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`expected a JSON object, got ${r.params.slice(0, 60)}`);
    params = parsed as Record<string, unknown>;
  } catch (error) {
    return failure('invalid_input', sdkStepError(SdkErrorNames.inputSchemaViolation, `field 'params' of the request for step '${r.stepId}' (attempt ${r.attempt} of case ${r.caseId}) is not a JSON object: ${(error as Error).message}`));
  }
  if (r.deadline <= startedAt) {
    logger.warn('request arrived after its deadline; not run (the orchestrator times the attempt out)', { deadline: new Date(r.deadline).toISOString(), requestId: r.requestId });
    return { outcome: 'timed_out', message: null };
  }

  const ctx = new AttemptContext({
    request: r, params, traceContext, logger,
    timeoutMs: r.deadline > m.timestamp ? r.deadline - m.timestamp : undefined,
    heartbeatIntervalMs: deps.heartbeatIntervalMs,
    sendHeartbeat: async (details) => {
      await deps.send([{
        topic: deps.topics.stepResults, key: r.caseId,
        value: catalog.encode(ContractNames.StepHeartbeat, heartbeatOf(r, deps.now(), details)),
        headers: resultHeaders(r.caseId, randomUUID(), traceContext, m.headers),
      }]);
    },
    onMetering: (mt) => {
      metrics.tokens.inc({ step_type: r.stepType, model: mt.model, direction: 'input' }, mt.inputTokens);
      metrics.tokens.inc({ step_type: r.stepType, model: mt.model, direction: 'output' }, mt.outputTokens);
      metrics.cost.inc({ step_type: r.stepType, model: mt.model }, mt.costUsd);
    },
    now: deps.now,
  });

  metrics.inFlight.inc({ step_type: r.stepType });
  const began = performance.now();
  const work = Promise.resolve().then(() => bound.handler.handle(input, ctx));
  const settled = () => metrics.inFlight.dec({ step_type: r.stepType });
  work.then(settled, settled);
  // Start-to-close is measured here, from the handler's start, and heartbeats do not move it; the
  // deadline (schedule-to-close, which heartbeats move) is the orchestrator's.
  const startToCloseAt = r.startToCloseMs != null ? startedAt + r.startToCloseMs : Number.POSITIVE_INFINITY;
  const ended = await runUntilDeadline(work, () => Math.min(ctx.deadline, startToCloseAt), deps.now);
  const observe = (outcome: StepOutcome) => metrics.duration.observe({ step_type: r.stepType, outcome }, (performance.now() - began) / 1000);

  if (ended.kind === 'deadline' && startToCloseAt < ctx.deadline) {
    ctx.giveUp();
    observe('timed_out');
    return failure('timed_out', {
      name: 'StepTimeout', message: `attempt ${r.attempt} of step '${r.stepId}' ran past its start-to-close timeout of ${r.startToCloseMs} ms`,
      retryable: true, details: null, retryAfterMs: null,
    });
  }
  if (ended.kind === 'deadline') {
    ctx.giveUp();
    observe('timed_out');
    logger.warn('attempt passed its deadline; gave up without a result (the orchestrator times it out)', { deadline: new Date(ctx.deadline).toISOString() });
    return { outcome: 'timed_out', message: null };
  }
  ctx.close();
  if (ended.kind === 'threw') {
    const error = toStepError(ended.error);
    const outcome = error.retryable ? 'retryable_failed' : 'failed';
    observe(outcome);
    return failure(outcome, error);
  }
  const problems = validationProblems(bound.contract.output, ended.value);
  let output: Buffer | undefined;
  if (problems.length === 0) {
    try {
      output = catalog.encode(bound.contract.outputName, ended.value);
    } catch (error) {
      problems.push({ path: '', expected: bound.contract.outputName, actual: (error as Error).message });
    }
  }
  if (!output) {
    observe('output_schema_violation');
    const list = problems.map((p) => `${p.path || '(value)'}: expected ${p.expected}, got ${p.actual}`).join('; ');
    return failure('output_schema_violation', sdkStepError(SdkErrorNames.outputSchemaViolation,
      `the output of step '${r.stepId}' (attempt ${r.attempt} of case ${r.caseId}) does not match ${bound.contract.outputName}: ${list}`,
      { fields: problems.map((p) => p.path) }));
  }
  if (deps.claims) {
    try {
      output = await deps.claims.offloadNow(output);
    } catch (error) {
      observe('retryable_failed');
      return failure('retryable_failed', { name: SdkErrorNames.claimUnavailable, message: `the output of step '${r.stepId}' (attempt ${r.attempt} of case ${r.caseId}) is ${output.length} bytes and could not be stored in the claim store: ${(error as Error).message}`, retryable: true, details: null, retryAfterMs: null });
    }
  }
  observe('completed');
  const value = completedResult(r, output, ctx.metering(), times());
  logger.debug('attempt completed', { durationMs: value.finishedAt - startedAt });
  return { outcome: 'completed', message: { topic: deps.topics.stepResults, key: r.caseId, value: catalog.encode(ContractNames.StepCompleted, value), headers: resultHeaders(r.caseId, value.resultId, traceContext, m.headers) } };
}

/**
 * The request's input encoding: read from the claim store when it is a claim reference.
 * @throws Error when it is a reference and no claim store is configured, or the store fails (ClaimNotFound...)
 */
async function resolveInput(deps: AttemptDeps, r: Wire.StepRequest): Promise<Buffer> {
  if (deps.claims) return deps.claims.resolve(r.input);
  if (r.input.length >= 10 && deps.catalog.byFingerprint(r.input.readBigUInt64LE(2))?.name === ContractNames.ClaimReference) {
    throw new Error('no claim store is configured (BATON_CLAIM_STORE)');
  }
  return r.input;
}
