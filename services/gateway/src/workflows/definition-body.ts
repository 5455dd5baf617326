import { defineWorkflow, loadDefinition, type WorkflowDefinition, type WorkflowDefinitionInput } from '@baton/workflow-engine';
import { UnsupportedMediaType } from '../errors/unsupported-media-type';
import { ValidationProblem } from '../errors/validation-problem';

/** Media types `PUT /workflows` reads as YAML; `application/json` is read as JSON. */
export const YAML_MEDIA_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'] as const;

/**
 * The definition in a `PUT /workflows` body: a JSON object, or YAML text (the format of
 * libs/workflow-engine/README.md) for a YAML media type.
 * @throws DefinitionError listing every issue (each names the step and the field)
 * @throws UnsupportedMediaType for another media type
 * @throws ValidationProblem for an empty body
 */
export function definitionFromBody(contentType: string | undefined, body: unknown): WorkflowDefinition {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if ((YAML_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    if (typeof body !== 'string' || body.trim() === '') throw ValidationProblem.of('(body)', 'must be a workflow definition in YAML');
    return loadDefinition(body);
  }
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationProblem.of('(body)', 'must be a workflow definition as a JSON object');
    return defineWorkflow(body as WorkflowDefinitionInput);
  }
  throw new UnsupportedMediaType(mediaType, ['application/json', ...YAML_MEDIA_TYPES]);
}
