/**
 * The inbox-triage workflow definition (`workflows/inbox-triage.yaml`), loaded and compiled.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDefinition, type WorkflowDefinition } from '@baton/workflow-engine';

/** Absolute path of the definition's YAML. */
export const INBOX_TRIAGE_FILE = resolve(__dirname, '../../workflows/inbox-triage.yaml');

/**
 * Reads and compiles the definition.
 * @throws DefinitionError listing every issue, each naming the step and the field
 */
export function loadInboxTriage(path: string = INBOX_TRIAGE_FILE): WorkflowDefinition {
  return loadDefinition(readFileSync(path, 'utf8'));
}
