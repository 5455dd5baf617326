import type { DefinitionIssue } from './definition-error';
import type { EngineStepKind, StepInput, WorkflowDefinitionInput } from './types';

/** The engine step kinds, in the order a step is checked for them. */
export const ENGINE_STEP_KINDS: readonly EngineStepKind[] = ['wait', 'sleep', 'until'];

/** Fields that mean nothing on an engine step: no consumer runs, so there is no request to shape or time. */
const NOT_ON_ENGINE_STEPS = ['type', 'input', 'with', 'timeout', 'scheduleToClose', 'startToClose', 'heartbeat', 'compensate'] as const;

/** The engine step kind a step as written declares, if any (the first of wait, sleep, until it carries). @internal */
export function engineKindOf(step: StepInput): EngineStepKind | undefined {
  return ENGINE_STEP_KINDS.find((k) => step[k] !== undefined);
}

/**
 * The rules of engine steps the JSON Schema leaves out: a step has a `type` or exactly one of
 * `wait`, `sleep`, `until`, and an engine step carries none of the fields of a consumer's request
 * (`type`, `input`, `with`, the timeouts, `compensate`). A `wait` takes its timeout from `wait.timeout`.
 * @internal
 */
export function engineStepIssues(def: WorkflowDefinitionInput): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const [id, step] of Object.entries(def.steps)) {
    const kinds = ENGINE_STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length === 0) {
      if (step.type === undefined) issues.push({ step: id, field: 'type', message: 'is required' });
      continue;
    }
    if (kinds.length > 1) issues.push({ step: id, field: kinds[1]!, message: `cannot be combined with ${kinds[0]}: an engine step is one of wait, sleep, until` });
    for (const field of NOT_ON_ENGINE_STEPS) {
      if (step[field] !== undefined) issues.push({ step: id, field, message: `is not allowed on a ${kinds[0]} step: the engine completes it itself, no step consumer runs` });
    }
  }
  return issues;
}
