import type { CompiledExpression } from '../expression';
import type { DefinitionIssue } from './definition-error';
import { engineKindOf } from './engine-step-issues';
import type { EngineStepKind, StepDefinition, StepInput } from './types';

/** What an engine step adds to its compiled definition. @internal */
export type EngineStepFields = Pick<StepDefinition, 'kind' | 'wait' | 'sleepMs' | 'until'> & { readonly type: string; readonly timeoutMs?: number };

/**
 * Compiles the engine part of a step (`wait`, `sleep`, `until`): its synthetic type
 * (`baton.<kind>`), its timeout (a wait's `wait.timeout`, a sleep's duration: the attempt timer is
 * what ends either) and its expressions. Undefined for a step a consumer runs.
 * @internal
 */
export function compileEngineStep(
  id: string, step: StepInput, issues: DefinitionIssue[],
  duration: (text: string, step: string, field: string, issues: DefinitionIssue[]) => number,
  expression: (text: string | undefined, step: string, field: string, issues: DefinitionIssue[]) => CompiledExpression | undefined,
): EngineStepFields | undefined {
  const kind: EngineStepKind | undefined = engineKindOf(step);
  if (kind === undefined) return undefined;
  const type = engineStepType(kind);
  switch (kind) {
    case 'wait': {
      const w = step.wait!;
      const correlate = expression(w.correlate, id, 'wait.correlate', issues);
      return { kind, type, timeoutMs: duration(w.timeout, id, 'wait.timeout', issues), wait: { signal: w.signal, ...(correlate && { correlate }) } };
    }
    case 'sleep': {
      const sleepMs = duration(step.sleep!, id, 'sleep', issues);
      return { kind, type, sleepMs, timeoutMs: sleepMs };
    }
    case 'until': {
      const until = expression(step.until, id, 'until', issues);
      return { kind, type, ...(until && { until }) };
    }
  }
}

/** The step type an engine step records in its events (`baton.wait`, `baton.sleep`, `baton.until`): no contract, no topic. */
export function engineStepType(kind: EngineStepKind): string {
  return `baton.${kind}`;
}
