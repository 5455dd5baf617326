import { parse as parseYaml, YAMLParseError } from 'yaml';
import { compileDefinition } from './compile';
import { DefinitionError, type DefinitionIssue } from './definition-error';
import { engineStepIssues } from './engine-step-issues';
import { graphIssues } from './graph-issues';
import { schemaIssues } from './schema-issues';
import type { WorkflowDefinition, WorkflowDefinitionInput } from './types';

/**
 * Validates and compiles a workflow definition built in TypeScript (or parsed from JSON).
 *
 * Checks, in order: the JSON Schema (all errors at once), then the graph (unknown `needs` /
 * `fallback`, self-fallback, cycles), then durations and JSONata syntax.
 *
 * @returns an immutable {@link WorkflowDefinition} with JSONata compiled once and defaults applied
 * @throws {DefinitionError} listing every issue, each naming the step and the field
 */
export function defineWorkflow(definition: WorkflowDefinitionInput): WorkflowDefinition {
  const name = typeof (definition as { name?: unknown })?.name === 'string' ? definition.name : undefined;
  const shapeIssues = schemaIssues(definition);
  if (shapeIssues.length) throw new DefinitionError(name, shapeIssues);
  const issues: DefinitionIssue[] = [...graphIssues(definition), ...engineStepIssues(definition)];
  const compiled = compileDefinition(definition, issues);
  if (issues.length) throw new DefinitionError(name, issues);
  return compiled;
}

/**
 * Parses a YAML workflow definition (the field reference is in libs/workflow-engine/README.md) and compiles it like {@link defineWorkflow}.
 * @throws {DefinitionError} on YAML syntax errors (field `(yaml)`) and every definition issue
 */
export function loadDefinition(yamlText: string): WorkflowDefinition {
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText, { prettyErrors: true });
  } catch (e) {
    const message = e instanceof YAMLParseError ? e.message : String(e);
    throw new DefinitionError(undefined, [{ field: '(yaml)', message: `does not parse: ${message}` }]);
  }
  return defineWorkflow(parsed as WorkflowDefinitionInput);
}
