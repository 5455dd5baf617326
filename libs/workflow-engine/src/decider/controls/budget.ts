import { emit, type Draft } from '../draft';
import { windDown } from '../failure';
import { isActive } from '../queries';
import { describeBreach } from './errors';

/**
 * After a step result is recorded: when the case's usage (tokens = input + output, cost in
 * integer micro-dollars) is now above a limit of the workflow's `budget`, records
 * `CaseBudgetExceeded` (once per case), then pauses the case (`CasePaused` by `budget`, unless an
 * operator already paused it) or fails it (`onExceeded: fail`: error `BudgetExceeded`, compensated
 * as any failure). Called before the case moves on, so nothing new starts after the breach.
 * @internal
 */
export function checkBudget(d: Draft, stepId: string, attempt: number): void {
  const budget = d.ctx.workflow.budget;
  const c = d.state.controls;
  if (budget === undefined || c.budgetExceeded || !isActive(d.state)) return;
  const overTokens = budget.tokens !== undefined && c.usage.tokens > budget.tokens;
  const overCost = budget.costMicros !== undefined && c.usage.costMicros > budget.costMicros;
  if (!overTokens && !overCost) return;
  const data = {
    stepId, attempt, usage: { tokens: c.usage.tokens, costMicros: c.usage.costMicros },
    budget: { ...(budget.tokens !== undefined && { tokens: budget.tokens }), ...(budget.costMicros !== undefined && { costMicros: budget.costMicros }) },
    onExceeded: budget.onExceeded, at: d.ctx.now,
  };
  emit(d, { type: 'CaseBudgetExceeded', data });
  if (budget.onExceeded === 'fail') return windDown(d, 'case-failed');
  if (c.paused === null) emit(d, { type: 'CasePaused', data: { by: 'budget', reason: describeBreach(data), at: d.ctx.now } });
}
