import type { SchemaCatalog } from '@baton/avro';
import type { TopicNames } from '@baton/contracts';
import { registerWorkflow, WorkflowNotFound, type DefinitionRegistry } from '@baton/definitions';
import { toMermaid, type WorkflowDefinition, type WorkflowDefinitionInput } from '@baton/workflow-engine';
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
    private readonly catalog: SchemaCatalog,
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
  ) {}

  /**
   * @returns `created` false when the same content was already registered under this version
   * @throws DefinitionError when the definition names a record or step type `contracts/` does not hold
   * @throws DefinitionVersionConflict when the version exists with other content
   */
  async register(definition: WorkflowDefinition): Promise<{ created: boolean; workflow: WorkflowVersionView }> {
    const { created } = await registerWorkflow({ registry: this.registry, catalog: this.catalog, kafka: this.kafka, topics: this.topics }, definition);
    return { created, workflow: await this.version(definition.name, definition.version) };
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

  /** The Mermaid flowchart of a version (the newest by default). @throws WorkflowNotFound */
  async graph(name: string, version?: number): Promise<{ name: string; version: number; mermaid: string }> {
    const definition: WorkflowDefinition = await this.registry.get(name, version);
    return { name, version: definition.version, mermaid: toMermaid(definition) };
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
