import type { SchemaCatalog } from '@baton/avro';
import type { ContractSync } from './contracts/contract-sync';
import type { TopicNames } from '@baton/contracts';
import { ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { DefinitionError, type DefinitionIssue, type WorkflowDefinition } from '@baton/workflow-engine';
import type { Kafka } from 'kafkajs';
import { contractIssues } from './contract-issues';
import type { DefinitionRegistry } from './registry';

/** The step topics a definition's steps and compensations are requested on (an engine step, `wait`/`sleep`/`until`, has none). */
export function stepTopicsOf(definition: WorkflowDefinition, topics: TopicNames): string[] {
  const types = Object.values(definition.steps).flatMap((s) => [...(s.kind === undefined && !s.workflow ? [s.type] : []), ...(s.compensate ? [s.compensate] : [])]);
  return [...new Set(types)].map((t) => topics.step(t));
}

/**
 * The contract issues of a definition: against a fixed catalog, or against one kept in step with
 * the contract registry (looked up at once when a name is missing, so a contract registered a
 * moment ago counts).
 */
export async function checkContracts(definition: WorkflowDefinition, deps: { catalog: SchemaCatalog } | { contracts: ContractSync }): Promise<DefinitionIssue[]> {
  if ('contracts' in deps) {
    const types = Object.values(definition.steps).flatMap((s) => [...(s.kind === undefined && !s.workflow ? [s.type] : []), ...(s.compensate ? [s.compensate] : [])]);
    await deps.contracts.ensureStepTypes(types);
    if (definition.input !== undefined) await deps.contracts.ensureNames([definition.input]);
    return contractIssues(definition, deps.contracts.catalog);
  }
  return contractIssues(definition, deps.catalog);
}

/**
 * Registers a definition the way every door does (gateway, orchestrator, operator CLI): refuse
 * what the contracts do not hold, create the step topics, then store the version.
 * @throws DefinitionError naming the step and field of each record or step type without a contract
 * @throws DefinitionVersionConflict when the version exists with other content
 */
export async function registerWorkflow(
  deps: { registry: DefinitionRegistry; kafka: Kafka; topics: TopicNames } & ({ catalog: SchemaCatalog } | { contracts: ContractSync }),
  definition: WorkflowDefinition,
): Promise<{ created: boolean; checksum: string }> {
  const issues = await checkContracts(definition, deps);
  if (issues.length > 0) throw new DefinitionError(definition.name, issues);
  await ensureTopics(deps.kafka, topicSpecs(loadTopicPlan(), stepTopicsOf(definition, deps.topics)));
  return deps.registry.register(definition);
}
