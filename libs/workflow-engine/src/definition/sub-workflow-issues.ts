import type { DefinitionIssue } from './definition-error';
import type { StepInput } from './types';

/** The reserved step type of a sub-workflow step: its attempts start child cases, not step requests. */
export const WORKFLOW_STEP_TYPE = 'workflow';

/**
 * The rules of a sub-workflow step: `type: workflow` and `workflow: { name, version }` go
 * together; it takes no heartbeat or start-to-close timeout (a child case sends none), no `map`
 * and no `review`. Each issue names the step and field.
 * @internal
 */
export function subWorkflowIssues(id: string, step: StepInput): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const isType = step.type === WORKFLOW_STEP_TYPE;
  if (isType && step.workflow === undefined) issues.push({ step: id, field: 'workflow', message: 'is required on a step of type workflow: name the child workflow and version' });
  if (!isType && step.workflow !== undefined) issues.push({ step: id, field: 'type', message: `must be workflow on a step with a workflow field (it is '${step.type}')` });
  if (!isType) return issues;
  for (const field of ['heartbeat', 'startToClose', 'map', 'review'] as const) {
    if (step[field] !== undefined) issues.push({ step: id, field, message: 'is not allowed on a sub-workflow step: its attempt is a child case, which sends no heartbeats and has no handler to stop' });
  }
  return issues;
}
