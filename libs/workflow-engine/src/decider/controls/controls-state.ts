import type { CaseEvent } from '../../events';
import { toMicros } from '../../definition/budget';

/** Who holds a paused case, why, and since when (epoch ms). */
export interface PauseInfo {
  readonly by: string;
  readonly reason?: string;
  readonly at: number;
}

/** Tokens (input + output) and cost (integer micro-dollars) the case's step results reported. */
export interface CaseUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly tokens: number;
  readonly costMicros: number;
}

/** Case-level controls folded from the events: the deadline, a pause, the budget's use. */
export interface CaseControls {
  /** Epoch ms; null without a case `timeout`, or once it fired (a re-opened case has none). */
  readonly deadlineAt: number | null;
  readonly timedOut: boolean;
  /** Set while the case is paused: nothing new starts. */
  readonly paused: PauseInfo | null;
  readonly usage: CaseUsage;
  /** True once `CaseBudgetExceeded` was recorded (it is recorded once per case). */
  readonly budgetExceeded: boolean;
  /** How many times an operator reset the case. */
  readonly resets: number;
}

/** The controls of a case before its first event. @internal */
export function initialControls(): CaseControls {
  return {
    deadlineAt: null, timedOut: false, paused: null,
    usage: { inputTokens: 0, outputTokens: 0, tokens: 0, costMicros: 0 }, budgetExceeded: false, resets: 0,
  };
}

/**
 * Folds one event into the controls: the deadline from `CaseStarted`, usage from each
 * `StepCompleted`'s metering, pause and resume, the budget and timeout marks. A case that ends
 * is no longer paused, and an ended one has no deadline (a re-opened case runs without). Pure. @internal
 */
export function evolveControls(c: CaseControls, e: CaseEvent): CaseControls {
  switch (e.type) {
    case 'CaseStarted': return { ...c, deadlineAt: e.data.deadlineAt ?? null };
    case 'StepCompleted': {
      const m = e.data.metering;
      if (!m) return c;
      const u = c.usage;
      return {
        ...c,
        usage: {
          inputTokens: u.inputTokens + m.inputTokens, outputTokens: u.outputTokens + m.outputTokens,
          tokens: u.tokens + m.inputTokens + m.outputTokens, costMicros: u.costMicros + toMicros(m.costUsd),
        },
      };
    }
    case 'CasePaused': return { ...c, paused: { by: e.data.by, ...(e.data.reason !== undefined && { reason: e.data.reason }), at: e.data.at } };
    case 'CaseResumed': return { ...c, paused: null };
    case 'CaseReset': return { ...c, resets: c.resets + 1 };
    case 'CaseTimedOut': return { ...c, deadlineAt: null, timedOut: true };
    case 'CaseBudgetExceeded': return { ...c, budgetExceeded: true };
    case 'CompensationStarted':
      return c.paused === null ? c : { ...c, paused: null };
    // The deadline timer is cancelled as the case ends: a case an operator re-opens has no deadline.
    case 'CaseCompleted': case 'CaseFailed': case 'CaseCancelled':
      return { ...c, paused: null, deadlineAt: null };
    default: return c;
  }
}
