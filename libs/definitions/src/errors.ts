/** Thrown when a (name, version) is registered again with a different definition: versions are immutable. */
export class DefinitionVersionConflict extends Error {
  override readonly name = 'DefinitionVersionConflict';
  constructor(readonly workflow: string, readonly version: number) {
    super(`workflow '${workflow}' version ${version} is already registered with a different definition; register the change as version ${version + 1}`);
  }
}

/** Thrown when no registered definition matches a name (and version). */
export class WorkflowNotFound extends Error {
  override readonly name = 'WorkflowNotFound';
  constructor(readonly workflow: string, readonly version?: number) {
    super(version === undefined ? `no workflow named '${workflow}' is registered` : `workflow '${workflow}' has no version ${version}`);
  }
}
