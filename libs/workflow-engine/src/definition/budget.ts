import type { DefinitionIssue } from './definition-error';
import type { CaseBudget, CaseBudgetInput } from './types';

/** Micro-units in one unit of money: costs are kept as integers of these (no float drift). */
export const MICROS_PER_UNIT = 1_000_000;

/**
 * An amount of money (US dollars, as a step's metering or a budget writes it) in integer
 * micro-dollars, rounded to the nearest micro-dollar.
 */
export function toMicros(amount: number): number {
  return Math.round(amount * MICROS_PER_UNIT);
}

/** Integer micro-dollars as a decimal string with 6 places (`2500000` -> `"2.500000"`). */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / MICROS_PER_UNIT)}.${String(abs % MICROS_PER_UNIT).padStart(6, '0')}`;
}

/**
 * Compiles a workflow's `budget` (the schema checked its shape): at least one limit, a cost of at
 * most 6 decimals. Problems go to `issues` (field `budget.cost`, `budget`).
 * @internal
 */
export function compileBudget(b: CaseBudgetInput, issues: DefinitionIssue[]): CaseBudget {
  if (b.tokens === undefined && b.cost === undefined) issues.push({ field: 'budget', message: 'needs tokens, cost or both' });
  let costMicros: number | undefined;
  if (b.cost !== undefined) {
    costMicros = toMicros(b.cost);
    if (Math.abs(b.cost * MICROS_PER_UNIT - costMicros) > 1e-6) issues.push({ field: 'budget.cost', message: `(${b.cost}) has more than 6 decimals` });
  }
  return {
    ...(b.tokens !== undefined && { tokens: b.tokens }),
    ...(costMicros !== undefined && { costMicros }),
    onExceeded: b.onExceeded ?? 'pause',
  };
}
