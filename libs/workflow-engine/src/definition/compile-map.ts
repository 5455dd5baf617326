import { compileExpression } from '../expression';
import type { DefinitionIssue } from './definition-error';
import type { MapPolicy, StepInput } from './types';

/** Default items in flight at once for a `map` step. */
export const DEFAULT_MAP_CONCURRENCY = 20;

/**
 * Compiles a step's `map` (fan-out) policy: the `items` JSONata, the concurrency and the failure
 * policy. Refuses (as issues naming the field) what does not fit a fan-out: an `input` mapping
 * (`map.items` shapes each item), a review gate, a heartbeat timeout (items take none), and tolerances without
 * `failure: collect` or both at once.
 * @internal
 */
export function compileMap(id: string, step: StepInput, issues: DefinitionIssue[]): MapPolicy | undefined {
  const m = step.map!;
  const failure = m.failure ?? 'failFast';
  if (step.input !== undefined) issues.push({ step: id, field: 'input', message: 'is not allowed on a map step: map.items gives each item\'s input (shape the items there)' });
  if (step.review !== undefined) issues.push({ step: id, field: 'review', message: 'is not allowed on a map step: review the list in a step that needs it' });
  if (step.heartbeat !== undefined) issues.push({ step: id, field: 'heartbeat', message: 'is not allowed on a map step: its items have schedule-to-close and start-to-close timeouts only' });
  const tolerance = m.toleratedFailures !== undefined || m.toleratedFailurePercentage !== undefined;
  if (tolerance && failure !== 'collect') issues.push({ step: id, field: 'map.failure', message: 'must be collect when map.toleratedFailures or map.toleratedFailurePercentage is given' });
  if (m.toleratedFailures !== undefined && m.toleratedFailurePercentage !== undefined) {
    issues.push({ step: id, field: 'map.toleratedFailures', message: 'and map.toleratedFailurePercentage exclude each other: give one' });
  }
  let items;
  try {
    items = compileExpression(m.items);
  } catch (e) {
    issues.push({ step: id, field: 'map.items', message: `is not a valid JSONata expression: ${(e as Error & { reason?: string }).reason ?? (e as Error).message}` });
    return undefined;
  }
  return {
    items,
    maxConcurrency: m.maxConcurrency ?? DEFAULT_MAP_CONCURRENCY,
    failure,
    ...(m.toleratedFailures !== undefined && { toleratedFailures: m.toleratedFailures }),
    ...(m.toleratedFailurePercentage !== undefined && { toleratedFailurePercentage: m.toleratedFailurePercentage }),
  };
}
