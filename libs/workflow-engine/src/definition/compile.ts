import { parseDuration, InvalidDuration } from '../duration';
import { compileExpression, type CompiledExpression } from '../expression';
import { compileEngineStep } from './compile-engine-step';
import { DEFAULT_RETRY, DEFAULT_REVIEW_ON_TIMEOUT, DEFAULT_REVIEW_QUEUE, DEFAULT_STEP_TIMEOUT } from './defaults';
import type { DefinitionIssue } from './definition-error';
import { compileBudget } from './budget';
import { compileMap } from './compile-map';
import { subWorkflowIssues } from './sub-workflow-issues';
import { compileTriggers } from './triggers';
import type { ReviewPolicy, StepDefinition, StepInput, WorkflowDefinition, WorkflowDefinitionInput } from './types';

/**
 * Compiles a schema-valid, graph-valid definition: parses durations, compiles JSONata once,
 * applies defaults and freezes the result. Problems are appended to `issues`; the returned
 * definition is only meaningful when no issue was added.
 * @internal
 */
export function compileDefinition(def: WorkflowDefinitionInput, issues: DefinitionIssue[]): WorkflowDefinition {
  const fallbackFor = new Map<string, string>();
  for (const [id, step] of Object.entries(def.steps)) if (step.fallback !== undefined) fallbackFor.set(step.fallback, id);

  const slaMs = def.sla !== undefined ? duration(def.sla, undefined, 'sla', issues) : undefined;
  const caseTimeoutMs = def.timeout !== undefined ? duration(def.timeout, undefined, 'timeout', issues) : undefined;
  const budget = def.budget !== undefined ? compileBudget(def.budget, issues) : undefined;
  const steps: Record<string, StepDefinition> = {};
  for (const [id, step] of Object.entries(def.steps)) steps[id] = compileStep(id, step, fallbackFor.get(id), issues);

  return deepFreeze({
    name: def.name,
    version: def.version,
    ...(def.input !== undefined && { input: def.input }),
    ...(slaMs !== undefined && { slaMs }),
    ...(caseTimeoutMs !== undefined && { caseTimeoutMs }),
    ...(budget !== undefined && { budget }),
    triggers: compileTriggers(def.triggers ?? [], issues),
    steps,
    stepOrder: Object.keys(def.steps),
    source: structuredClone(def),
  });
}

function compileStep(id: string, step: StepInput, fallbackFor: string | undefined, issues: DefinitionIssue[]): StepDefinition {
  const r = step.retry ?? {};
  const initialIntervalMs = duration(r.initialInterval ?? DEFAULT_RETRY.initialInterval, id, 'retry.initialInterval', issues);
  const maxIntervalMs = duration(r.maxInterval ?? DEFAULT_RETRY.maxInterval, id, 'retry.maxInterval', issues);
  if (maxIntervalMs < initialIntervalMs) {
    issues.push({ step: id, field: 'retry.maxInterval', message: `(${maxIntervalMs} ms) is shorter than retry.initialInterval (${initialIntervalMs} ms)` });
  }
  const when = expression(step.when, id, 'when', issues);
  const input = expression(step.input, id, 'input', issues);
  const review = step.review ? compileReview(id, step, issues) : undefined;
  const map = step.map ? compileMap(id, step, issues) : undefined;
  issues.push(...subWorkflowIssues(id, step));
  const timeoutField = step.scheduleToClose !== undefined ? 'scheduleToClose' : 'timeout';
  const engine = compileEngineStep(id, step, issues, duration, expression);
  const timeoutMs = engine?.timeoutMs ?? duration(step.scheduleToClose ?? step.timeout ?? DEFAULT_STEP_TIMEOUT, id, timeoutField, issues);
  const startToCloseMs = step.startToClose !== undefined ? duration(step.startToClose, id, 'startToClose', issues) : undefined;
  const heartbeatMs = step.heartbeat !== undefined ? duration(step.heartbeat, id, 'heartbeat', issues) : undefined;
  if (heartbeatMs !== undefined && heartbeatMs < 2000) {
    issues.push({ step: id, field: 'heartbeat', message: `(${heartbeatMs} ms) is shorter than PT2S: the step SDK sends at most one heartbeat a second` });
  }
  if (startToCloseMs !== undefined && startToCloseMs > timeoutMs) {
    issues.push({ step: id, field: 'startToClose', message: `(${startToCloseMs} ms) is longer than the schedule-to-close timeout ${timeoutField} (${timeoutMs} ms), which would always end the attempt first` });
  }
  return {
    id,
    type: engine?.type ?? step.type!,
    needs: [...(step.needs ?? [])],
    ...(when && { when }),
    ...(input && { input }),
    params: structuredClone(step.with ?? {}),
    retry: {
      // An engine step's timeout ends the wait: no second wait unless the step asks for one.
      maxAttempts: r.maxAttempts ?? (engine ? 1 : DEFAULT_RETRY.maxAttempts),
      initialIntervalMs,
      backoffCoefficient: r.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maxIntervalMs,
      jitter: r.jitter ?? DEFAULT_RETRY.jitter,
      nonRetryable: [...(r.nonRetryable ?? DEFAULT_RETRY.nonRetryable)],
    },
    timeoutMs,
    ...(startToCloseMs !== undefined && { startToCloseMs }),
    ...(heartbeatMs !== undefined && { heartbeatMs }),
    ...(step.fallback !== undefined && { fallback: step.fallback }),
    ...(step.onExhausted === 'waitForOperator' && { onExhausted: 'waitForOperator' as const }),
    ...(fallbackFor !== undefined && { fallbackFor }),
    ...(step.compensate !== undefined && { compensate: step.compensate }),
    ...(review && { review }),
    ...(engine?.kind !== undefined && { kind: engine.kind }),
    ...(engine?.wait && { wait: engine.wait }),
    ...(engine?.sleepMs !== undefined && { sleepMs: engine.sleepMs }),
    ...(engine?.until && { until: engine.until }),
    ...(map && { map }),
    ...(step.workflow && { workflow: { name: step.workflow.name, version: step.workflow.version } }),
  };
}

function compileReview(id: string, step: StepInput, issues: DefinitionIssue[]): ReviewPolicy {
  const r = step.review!;
  const when = expression(r.when, id, 'review.when', issues);
  const timeoutMs = r.timeout !== undefined ? duration(r.timeout, id, 'review.timeout', issues) : undefined;
  return {
    ...(when && { when }),
    queue: r.queue ?? DEFAULT_REVIEW_QUEUE,
    ...(timeoutMs !== undefined && { timeoutMs }),
    onTimeout: r.onTimeout ?? DEFAULT_REVIEW_ON_TIMEOUT,
  };
}

function duration(text: string, step: string | undefined, field: string, issues: DefinitionIssue[]): number {
  try {
    return parseDuration(text);
  } catch (e) {
    if (!(e instanceof InvalidDuration)) throw e;
    issues.push({ ...(step !== undefined && { step }), field, message: `is not a valid duration: ${e.message}` });
    return NaN;
  }
}

function expression(text: string | undefined, step: string, field: string, issues: DefinitionIssue[]): CompiledExpression | undefined {
  if (text === undefined) return undefined;
  try {
    return compileExpression(text);
  } catch (e) {
    issues.push({ step, field, message: `is not a valid JSONata expression: ${(e as Error & { reason?: string }).reason ?? (e as Error).message}${positionOf(e)}` });
    return undefined;
  }
}

function positionOf(e: unknown): string {
  const p = (e as { position?: number }).position;
  return p !== undefined ? ` (at position ${p})` : '';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
