/** One problem found in a workflow definition. `field` is a dotted path inside the step (or the workflow). */
export interface DefinitionIssue {
  readonly step?: string;
  readonly field: string;
  readonly message: string;
}

/** Formats an issue as `step 'reply': field 'fallback' names unknown step 'nope'`. */
export function formatIssue(issue: DefinitionIssue): string {
  const where = issue.step !== undefined ? `step '${issue.step}': field '${issue.field}'` : `field '${issue.field}'`;
  return `${where} ${issue.message}`;
}

/**
 * A workflow definition was refused. `issues` lists every problem found (the JSON Schema runs
 * with allErrors); the message names each step and field.
 */
export class DefinitionError extends Error {
  constructor(readonly workflow: string | undefined, readonly issues: readonly DefinitionIssue[]) {
    super(
      issues.length === 1
        ? `invalid workflow${workflow ? ` '${workflow}'` : ''}: ${formatIssue(issues[0]!)}`
        : `invalid workflow${workflow ? ` '${workflow}'` : ''} (${issues.length} issues): ${issues.map(formatIssue).join('; ')}`,
    );
    this.name = 'DefinitionError';
  }
}
