/**
 * The body of `PUT /workflows` and `POST /workflows/validate`, and the `definition` of a workflow
 * read back: the workflow engine's own JSON Schema (`workflowDefinitionSchema`, which the engine
 * validates every definition with), as an OpenAPI component (its `$defs` inlined, no `$id`).
 */
import { Type } from '@sinclair/typebox';
import { workflowDefinitionSchema, type WorkflowDefinitionInput } from '@baton/workflow-engine';

/** A copy of `schema` with every `{ $ref: '#/$defs/<name>' }` replaced by the definition, without `$id` and `$defs`. */
function inlineDefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = (schema.$defs ?? {}) as Record<string, unknown>;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const ref = (v as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return walk(defs[ref.slice('#/$defs/'.length)]);
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '$id' && k !== '$defs').map(([k, x]) => [k, walk(x)]));
  };
  return walk(schema) as Record<string, unknown>;
}

export const WorkflowDefinition = Type.Unsafe<WorkflowDefinitionInput>({
  ...inlineDefs(workflowDefinitionSchema as unknown as Record<string, unknown>),
  description: 'a workflow definition as written (field reference: libs/workflow-engine/README.md); also accepted as YAML',
});
