import type { TopicNames } from '@baton/contracts';
import { checkContracts, registerWorkflow, WorkflowNotFound, type ContractSync, type DefinitionRegistry } from '@baton/definitions';
import { DefinitionError, mermaidNodeIds, toMermaid, type WorkflowDefinition, type WorkflowDefinitionInput } from '@baton/workflow-engine';
import type { Kafka } from 'kafkajs';

/** A registered version as `GET /workflows` lists it. */
export interface WorkflowVersionView {
  name: string;
  version: number;
  checksum: string;
  registeredAt: string;
}

/** A registered version with its definition as written. */
export interface WorkflowView extends WorkflowVersionView {
  definition: WorkflowDefinitionInput;
}

/**
 * Registers and reads workflow definitions. Registering creates the topics of the definition's
 * step types and compensation types first, so the orchestrator can dispatch the first case.
 */
export class WorkflowAdmin {
  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly contracts: ContractSync,
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
  ) {}

  /**
   * @returns `created` false when the same content was already registered under this version
   * @throws DefinitionError when the definition names a record or step type that neither `contracts/` nor the contract registry holds (looked up in the registry at once, not at the next poll)
   * @throws DefinitionVersionConflict when the version exists with other content
   */
  async register(definition: WorkflowDefinition): Promise<{ created: boolean; workflow: WorkflowVersionView }> {
    const { created } = await registerWorkflow({ registry: this.registry, contracts: this.contracts, kafka: this.kafka, topics: this.topics }, definition);
    return { created, workflow: await this.version(definition.name, definition.version) };
  }

  /**
   * Runs the checks of {@link register} without storing anything or creating topics.
   * @throws DefinitionError when the definition names a record or step type without a contract
   */
  async validate(definition: WorkflowDefinition): Promise<{ valid: true; name: string; version: number }> {
    const issues = await checkContracts(definition, { contracts: this.contracts });
    if (issues.length > 0) throw new DefinitionError(definition.name, issues);
    return { valid: true, name: definition.name, version: definition.version };
  }

  /** Every registered version, newest first within a name. */
  async list(): Promise<WorkflowVersionView[]> {
    return (await this.registry.list()).map(toView);
  }

  /** @throws WorkflowNotFound */
  async get(name: string, version?: number): Promise<WorkflowView> {
    const definition = await this.registry.get(name, version);
    return { ...(await this.version(name, definition.version)), definition: definition.source };
  }

  /**
   * The Mermaid flowchart of a version (the newest by default), with the node id of each step
   * (`nodes`, for styling a case's steps). @throws WorkflowNotFound
   */
  async graph(name: string, version?: number): Promise<{ name: string; version: number; mermaid: string; nodes: Record<string, string> }> {
    const definition: WorkflowDefinition = await this.registry.get(name, version);
    return { name, version: definition.version, mermaid: toMermaid(definition), nodes: mermaidNodeIds(definition) };
  }

  private async version(name: string, version: number): Promise<WorkflowVersionView> {
    const row = (await this.registry.list(name)).find((v) => v.version === version);
    if (!row) throw new WorkflowNotFound(name, version);
    return toView(row);
  }
}

function toView(v: { name: string; version: number; checksum: string; registeredAt: Date }): WorkflowVersionView {
  return { name: v.name, version: v.version, checksum: v.checksum, registeredAt: v.registeredAt.toISOString() };
}
