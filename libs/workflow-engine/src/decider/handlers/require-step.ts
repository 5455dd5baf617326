import type { StepDefinition } from '../../definition/types';
import type { Draft } from '../draft';
import { UnknownStep } from '../errors';

/** The step's definition. @throws {UnknownStep} when the pinned workflow has no such step. @internal */
export function requireStep(d: Draft, stepId: string | undefined): StepDefinition {
  const def = stepId === undefined ? undefined : d.ctx.workflow.steps[stepId];
  if (!def) throw new UnknownStep(d.state.caseId, stepId ?? '(none)', d.ctx.workflow.name);
  return def;
}
