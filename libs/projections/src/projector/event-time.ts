import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventType } from '@baton/workflow-engine';

const KNOWN = new Set<string>(CASE_EVENT_TYPES);

/** True when `type` is a case event the engine's `evolve` understands. @internal */
export function isCaseEventType(type: string): type is CaseEventType {
  return KNOWN.has(type);
}

/**
 * The time an event records for itself (epoch ms, from the decider's clock), so projections
 * never depend on when they run. `StepRetryScheduled` records none: its failure time is
 * `dueAt - delayMs`.
 * @internal
 */
export function eventTime(e: CaseEvent): number {
  switch (e.type) {
    case 'CaseStarted': return e.data.startedAt;
    case 'StepScheduled': return e.data.scheduledAt;
    case 'StepDeadlineExtended': return e.data.at;
    case 'StepCompleted': return e.data.completedAt;
    case 'StepAttemptFailed': return e.data.failedAt;
    case 'StepTimedOut': return e.data.timedOutAt;
    case 'StepRetryScheduled': return e.data.dueAt - e.data.delayMs;
    case 'StepSkipped': return e.data.skippedAt;
    case 'StepFailed': return e.data.failedAt;
    case 'FallbackStarted': return e.data.at;
    case 'StepAbandoned': return e.data.at;
    case 'ReviewRequested': return e.data.requestedAt;
    case 'ReviewDecided': return e.data.decidedAt;
    case 'ReviewEscalated': return e.data.escalatedAt;
    case 'ReviewWithdrawn': return e.data.at;
    case 'CompensationStarted': return e.data.at;
    case 'CompensationScheduled': return e.data.scheduledAt;
    case 'CompensationCompleted': return e.data.completedAt;
    case 'CompensationFailed': return e.data.failedAt;
    case 'CaseCompleted': return e.data.completedAt;
    case 'CaseFailed': return e.data.failedAt;
    case 'CaseCancellationRequested': return e.data.at;
    case 'CaseCancelled': return e.data.cancelledAt;
    case 'StepRetriedByOperator': return e.data.at;
    case 'SlaBreached': return e.data.breachedAt;
    case 'CaseRepaired': return e.data.at;
    case 'SignalReceived': return e.data.receivedAt;
    case 'SignalConsumed': return e.data.at;
    case 'CasePaused': return e.data.at;
    case 'CaseResumed': return e.data.at;
    case 'CaseReset': return e.data.at;
    case 'CaseTimedOut': return e.data.timedOutAt;
    case 'CaseBudgetExceeded': return e.data.at;
    case 'MapStarted': return e.data.startedAt;
    case 'MapItemScheduled': return e.data.scheduledAt;
    case 'MapItemCompleted': return e.data.completedAt;
    case 'MapItemFailed': return e.data.failedAt;
    case 'MapItemRetryScheduled': return e.data.dueAt - e.data.delayMs;
    case 'StepAdmitted': return e.data.at;
    case 'StepAwaitingOperator': return e.data.requestedAt;
    case 'ExhaustedStepResolved': return e.data.at;
  }
}
