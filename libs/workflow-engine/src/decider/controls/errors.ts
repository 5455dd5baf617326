import { CaseCommandError } from '../errors';
import type { CaseStatus } from '../state';
import type { CaseBudgetExceeded } from '../../events';
import type { StepError } from '../../step-error';
import { formatMicros } from '../../definition/budget';

/** Error names of case-level failures. */
export const CONTROL_ERROR_NAMES = Object.freeze({
  /** The case passed its deadline (`timeout` at the workflow level). */
  caseTimeout: 'CaseTimeout',
  /** A step result took the case over its budget with `onExceeded: fail`. */
  budgetExceeded: 'BudgetExceeded',
});

/** The failure a `CaseTimedOut` records (step id `''`: the case, not a step). @internal */
export function caseTimeoutError(deadlineAt: number): StepError {
  return { name: CONTROL_ERROR_NAMES.caseTimeout, message: `the case passed its deadline ${new Date(deadlineAt).toISOString()}`, retryable: false };
}

/** The failure a `CaseBudgetExceeded` with `onExceeded: fail` records. @internal */
export function budgetError(d: CaseBudgetExceeded['data']): StepError {
  return { name: CONTROL_ERROR_NAMES.budgetExceeded, message: describeBreach(d), retryable: false };
}

/** `case used 61000 tokens (budget 50000), $2.100000 (budget $2.000000)`: the limits crossed. @internal */
export function describeBreach(d: CaseBudgetExceeded['data']): string {
  const parts: string[] = [];
  if (d.budget.tokens !== undefined && d.usage.tokens > d.budget.tokens) parts.push(`${d.usage.tokens} tokens (budget ${d.budget.tokens})`);
  if (d.budget.costMicros !== undefined && d.usage.costMicros > d.budget.costMicros) parts.push(`$${formatMicros(d.usage.costMicros)} (budget $${formatMicros(d.budget.costMicros)})`);
  return `step '${d.stepId}' attempt ${d.attempt} took the case over its budget: ${parts.join(', ')}`;
}

/** `ResetCase` on a case that is not open (ended, or compensating), or naming a fallback-only step. */
export class CaseNotResettable extends CaseCommandError {
  constructor(readonly caseId: string, readonly status: CaseStatus, reason: string) {
    super(`cannot reset case ${caseId} (status ${status}): ${reason}`);
  }
}
