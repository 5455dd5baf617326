import type { WorkflowDefinition } from './types';

/**
 * Renders a definition as a Mermaid `flowchart TD` graph, for `GET /workflows/{name}/graph`.
 *
 * - one node per step, labelled with its id and step type (plus its review queue and
 *   compensation, when it has them); a fallback-only step is drawn with rounded corners;
 * - a solid edge `need --> step` per `needs` entry, labelled with the step's `when` condition;
 *   a step with a `when` and no `needs` shows the condition in its node;
 * - a dotted edge `step -.->|fallback| fallbackStep` per fallback.
 *
 * Node ids are the step ids with anything but letters, digits and `_` replaced, so any step id
 * renders; labels are quoted with Mermaid's `#quot;`-style entities.
 */
export function toMermaid(definition: WorkflowDefinition): string {
  const nodeIds = nodeIdsFor(definition.stepOrder);
  const lines = ['flowchart TD'];
  for (const id of definition.stepOrder) {
    const step = definition.steps[id]!;
    const label = [id, step.type];
    if (step.when && step.needs.length === 0) label.push(`when: ${step.when.source}`);
    if (step.review) label.push(`review: ${step.review.queue}`);
    if (step.compensate) label.push(`compensate: ${step.compensate}`);
    const text = label.map(escape).join('<br/>');
    lines.push(step.fallbackFor ? `  ${nodeIds.get(id)}("${text}")` : `  ${nodeIds.get(id)}["${text}"]`);
  }
  for (const id of definition.stepOrder) {
    const step = definition.steps[id]!;
    for (const need of step.needs) {
      const arrow = step.when ? `-->|"${escape(step.when.source)}"|` : '-->';
      lines.push(`  ${nodeIds.get(need)} ${arrow} ${nodeIds.get(id)}`);
    }
    if (step.fallback) lines.push(`  ${nodeIds.get(id)} -.->|fallback| ${nodeIds.get(step.fallback)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The Mermaid node id {@link toMermaid} gives each step (`{ 'reply-template': 'reply_template' }`),
 * so a page can style the nodes of a case's steps.
 */
export function mermaidNodeIds(definition: WorkflowDefinition): Record<string, string> {
  return Object.fromEntries(nodeIdsFor(definition.stepOrder));
}

function nodeIdsFor(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const result = new Map<string, string>();
  for (const id of ids) {
    const base = id.replace(/[^A-Za-z0-9_]/g, '_');
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    result.set(id, candidate);
  }
  return result;
}

function escape(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}
