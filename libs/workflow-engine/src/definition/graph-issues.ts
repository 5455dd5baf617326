import type { DefinitionIssue } from './definition-error';
import type { WorkflowDefinitionInput } from './types';

/**
 * Graph rules the JSON Schema cannot express: every `needs` and `fallback` names a step of this
 * workflow, no step falls back to itself or to a chain that comes back to it, a fallback-only step
 * stands in for exactly one step and is not itself awaited or gated, and `needs` has no cycle.
 * @internal
 */
export function graphIssues(def: WorkflowDefinitionInput): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const ids = Object.keys(def.steps);
  const known = new Set(ids);
  const fallbackOf = new Map<string, string>();

  for (const id of ids) {
    const step = def.steps[id]!;
    for (const need of step.needs ?? []) {
      if (!known.has(need)) issues.push({ step: id, field: 'needs', message: `names unknown step '${need}'` });
      else if (need === id) issues.push({ step: id, field: 'needs', message: 'names the step itself' });
    }
    const fb = step.fallback;
    if (fb === undefined) continue;
    if (fb === id) issues.push({ step: id, field: 'fallback', message: 'names the step itself; a step cannot fall back to itself' });
    else if (!known.has(fb)) issues.push({ step: id, field: 'fallback', message: `names unknown step '${fb}'` });
    else if (fallbackOf.has(fb)) issues.push({ step: id, field: 'fallback', message: `names '${fb}', which is already the fallback of '${fallbackOf.get(fb)}'` });
    else fallbackOf.set(fb, id);
  }

  for (const [fb, target] of fallbackOf) {
    const step = def.steps[fb]!;
    if (step.needs?.length) issues.push({ step: fb, field: 'needs', message: `is not allowed on a fallback-only step: it runs when '${target}' runs out of attempts` });
    if (step.when !== undefined) issues.push({ step: fb, field: 'when', message: `is not allowed on a fallback-only step: it runs when '${target}' runs out of attempts` });
  }
  for (const id of ids) {
    for (const need of def.steps[id]!.needs ?? []) {
      if (fallbackOf.has(need)) issues.push({ step: id, field: 'needs', message: `names fallback-only step '${need}', which never runs in the normal flow; need '${fallbackOf.get(need)}' instead` });
    }
  }

  issues.push(...fallbackCycles(def, known), ...needsCycles(def, ids, known));
  return issues;
}

function fallbackCycles(def: WorkflowDefinitionInput, known: Set<string>): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const reported = new Set<string>();
  for (const start of known) {
    const chain = [start];
    let next = def.steps[start]!.fallback;
    while (next !== undefined && known.has(next) && next !== start && !chain.includes(next)) {
      chain.push(next);
      next = def.steps[next]!.fallback;
    }
    if (next === start && chain.length > 1) {
      const key = [...chain].sort().join('|');
      if (!reported.has(key)) {
        reported.add(key);
        issues.push({ step: start, field: 'fallback', message: `forms a cycle: ${[...chain, start].join(' -> ')}` });
      }
    }
  }
  return issues;
}

/** Depth-first search; each back edge closes one cycle, reported once, on its first declared step. */
function needsCycles(def: WorkflowDefinitionInput, ids: string[], known: Set<string>): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const reported = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const order = new Map(ids.map((id, i) => [id, i]));

  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const need of def.steps[id]!.needs ?? []) {
      if (!known.has(need) || need === id) continue;
      if (state.get(need) === 'open') {
        const cycle = stack.slice(stack.indexOf(need));
        const key = [...cycle].sort().join('|');
        if (reported.has(key)) continue;
        reported.add(key);
        // Start the cycle at its first declared step so the message is stable.
        const first = cycle.reduce((a, b) => (order.get(a)! <= order.get(b)! ? a : b));
        const at = cycle.indexOf(first);
        // The stack follows `needs` edges: each step needs the next one.
        const path = [...cycle.slice(at), ...cycle.slice(0, at), first];
        issues.push({ step: first, field: 'needs', message: `forms a cycle: ${path.join(' -> ')} (each step needs the next)` });
      } else if (!state.has(need)) {
        visit(need);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return issues;
}
