import type { SchemaCatalog } from '@baton/avro';
import { stepContract } from '@baton/contracts';
import type { DefinitionIssue, WorkflowDefinition } from '@baton/workflow-engine';

/**
 * What a definition names that neither `contracts/` nor the contract registry (as the catalog has loaded it) holds: its input record, a step type or a
 * compensation type without input and output records. The engine cannot know the contracts;
 * every door that registers definitions (gateway, orchestrator, operator CLI) refuses such a
 * definition rather than fail its cases later.
 */
export function contractIssues(definition: WorkflowDefinition, catalog: SchemaCatalog): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (definition.input !== undefined && !catalog.has(definition.input)) {
    issues.push({ field: 'input', message: `names Avro record '${definition.input}', which is not in contracts/` });
  }
  const hasContract = (type: string) => {
    try {
      stepContract(catalog, type);
      return true;
    } catch {
      return false;
    }
  };
  for (const id of definition.stepOrder) {
    const step = definition.steps[id]!;
    if (step.kind === undefined && !step.workflow && !hasContract(step.type)) issues.push({ step: id, field: 'type', message: `names step type '${step.type}', which has no input and output contract: neither in the built-in contracts/schemas/steps this process loaded at start nor in the contract registry (a step service's SDK registers its contracts when it starts; \`baton contracts register <dir>\` does it from CI)` });
    if (step.compensate !== undefined && !hasContract(step.compensate)) {
      issues.push({ step: id, field: 'compensate', message: `names step type '${step.compensate}', which has no input and output contract: neither in the built-in contracts/schemas/steps this process loaded at start nor in the contract registry (a step service's SDK registers its contracts when it starts; \`baton contracts register <dir>\` does it from CI)` });
    }
  }
  return issues;
}
