import { formatMicros, type CaseEvent } from '@baton/workflow-engine';

/**
 * The timeline line of a case-control event (pause, resume, reset, deadline, budget), e.g.
 * `case paused by ops: month end`. @internal
 */
export function controlLine(e: CaseEvent): string {
  switch (e.type) {
    case 'CasePaused':
      return `case paused by ${e.data.by}${e.data.reason !== undefined ? `: ${e.data.reason}` : ''}`;
    case 'CaseResumed':
      return `case resumed by ${e.data.by}`;
    case 'CaseReset':
      return `case reset to step ${e.data.stepId} by ${e.data.by} (runs again: ${e.data.reset.join(', ')})${e.data.reason !== undefined ? `: ${e.data.reason}` : ''}`;
    case 'CaseTimedOut':
      return `case passed its deadline ${new Date(e.data.deadlineAt).toISOString()}: it fails`;
    case 'CaseBudgetExceeded': {
      const d = e.data;
      return `budget exceeded by step ${d.stepId} attempt ${d.attempt}: ${d.usage.tokens} tokens${d.budget.tokens !== undefined ? ` of ${d.budget.tokens}` : ''}, ` +
        `$${formatMicros(d.usage.costMicros)}${d.budget.costMicros !== undefined ? ` of $${formatMicros(d.budget.costMicros)}` : ''}; the case ${d.onExceeded === 'fail' ? 'fails' : 'pauses'}`;
    }
    default:
      return e.type;
  }
}
