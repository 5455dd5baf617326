import { validationProblems, type SchemaCatalog } from '@baton/avro';
import { MAX_CASE_INPUT_JSON_BYTES } from '@baton/contracts';
import type { ContractSync, DefinitionRegistry } from '@baton/definitions';
import type { ProjectionQueries } from '@baton/projections';
import { PayloadTooLarge } from '../errors/payload-too-large';
import { ValidationProblem } from '../errors/validation-problem';
import { TriggerPublisher } from '../messaging/trigger-publisher';

/** `POST /cases` as the controller hands it over, fields already checked for presence and type. */
export interface StartCaseRequest {
  workflow: string;
  version?: number;
  input: unknown;
  key?: string;
}

/** What `POST /cases` answers. */
export interface StartedCase {
  caseId: string;
  workflow: string;
  /** The version the case will pin (the newest when the request named none). */
  version: number;
  /** True when the same key already named a known case and no trigger was sent. */
  deduplicated: boolean;
}

/**
 * Starts cases over HTTP: finds the definition, checks and encodes the input with the workflow's
 * declared Avro input record, and publishes a `TriggerCase`. The orchestrator starts the case
 * when it reads the trigger; until the projector has recorded it, `GET /cases/{id}` says 404.
 */
export class CaseStarter {
  private readonly catalog: SchemaCatalog;

  /** @param contracts - the catalog, and the registry it looks an unknown input record up in */
  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly contracts: ContractSync,
    private readonly queries: ProjectionQueries,
    private readonly triggers: TriggerPublisher,
  ) {
    this.catalog = contracts.catalog;
  }

  /**
   * @throws WorkflowNotFound for an unknown workflow or version
   * @throws ValidationProblem when the workflow declares no input record, or `input` does not
   *   match it (one error per offending field, as `input.<path>`)
   * @throws PayloadTooLarge when `input` as JSON is above `MAX_CASE_INPUT_JSON_BYTES` (its case
   *   event could not be carried; the orchestrator dead-letters such a trigger from Kafka too)
   */
  async start(request: StartCaseRequest, tenant = 'default'): Promise<StartedCase> {
    const inputBytes = Buffer.byteLength(JSON.stringify(request.input));
    if (inputBytes > MAX_CASE_INPUT_JSON_BYTES) throw new PayloadTooLarge('input', inputBytes, MAX_CASE_INPUT_JSON_BYTES);
    const definition = await this.registry.get(request.workflow, request.version);
    const recordName = definition.input;
    if (!recordName) {
      throw ValidationProblem.of('workflow', `workflow '${definition.name}' version ${definition.version} declares no Avro input record (its field 'input'), so the gateway cannot encode a case input for it; declare one, or trigger it on the Kafka triggers topic`);
    }
    await this.contracts.ensureNames([recordName]);
    if (!this.catalog.has(recordName)) {
      throw ValidationProblem.of('workflow', `workflow '${definition.name}' version ${definition.version} declares input record '${recordName}', which is neither in contracts/ nor in the contract registry`);
    }
    const problems = validationProblems(this.catalog.type(recordName), request.input, { noUndeclaredFields: true });
    if (problems.length > 0) {
      throw new ValidationProblem(problems.map((p) => ({ field: p.path ? `input.${p.path}` : 'input', message: `expected ${p.expected}, got ${p.actual}` })),
        `The input does not match ${recordName}`);
    }
    const pinned = { workflow: definition.name, version: definition.version };
    // A key that already names a recorded case: sending the trigger again would only be refused downstream.
    if (request.key !== undefined) {
      const caseId = TriggerPublisher.caseIdOf({ workflow: request.workflow, key: request.key, tenant }, 'unused');
      const existing = await this.queries.getCase(caseId, tenant);
      if (existing) return { caseId, workflow: existing.summary.workflow, version: existing.summary.workflowVersion, deduplicated: true };
    }
    const { caseId } = await this.triggers.publish({
      workflow: definition.name, version: definition.version, input: this.catalog.encode(recordName, request.input),
      ...(request.key !== undefined ? { key: request.key } : {}), tenant,
    });
    return { caseId, ...pinned, deduplicated: false };
  }
}
