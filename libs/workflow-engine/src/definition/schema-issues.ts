import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { DefinitionIssue } from './definition-error';
import { workflowDefinitionSchema } from './schema';

let validator: ValidateFunction | undefined;

/**
 * Validates a definition against {@link workflowDefinitionSchema} and turns Ajv's errors into
 * issues that name the step and the field.
 * @internal
 */
export function schemaIssues(definition: unknown): DefinitionIssue[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(workflowDefinitionSchema);
  if (validator(definition)) return [];
  // A bad step id yields a `pattern` error (with `propertyName`) and a `propertyNames` error: keep the latter.
  return (validator.errors ?? []).filter((e) => e.propertyName === undefined).map(toIssue);
}

function toIssue(error: ErrorObject): DefinitionIssue {
  const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let step: string | undefined;
  let fieldPath = path;
  if (path[0] === 'steps' && path.length >= 2) {
    step = path[1];
    fieldPath = path.slice(2);
  }
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return issue(step, [...fieldPath, String(params.missingProperty)], 'is required');
    case 'additionalProperties':
      return issue(step, [...fieldPath, String(params.additionalProperty)], 'is not a known field');
    case 'propertyNames':
      return issue(undefined, ['steps'], `has a step id '${String(params.propertyName)}' that is not a name (letters, digits, '_' and '-', starting with a letter or '_')`);
    case 'enum':
      return issue(step, fieldPath, `must be one of ${(params.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`);
    default:
      return issue(step, fieldPath, error.message ?? 'is invalid');
  }
}

function issue(step: string | undefined, path: string[], message: string): DefinitionIssue {
  const field = path.length === 0 ? (step !== undefined ? '(step)' : '(definition)') : path.join('.');
  return step !== undefined ? { step, field, message } : { field, message };
}
