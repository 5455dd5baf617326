import type { CaseEvent, StepScheduled } from '../events';
import type { CaseState } from './state';
import { evolveControls } from './controls/controls-state';
import { caseTimeoutError, budgetError } from './controls/errors';
import { evolveMap } from './map/evolve-map';
import { applyFlowControl } from './flow-control';
import { attemptsAfter, blankStep, step } from './step-updates';

export { attemptsAfter, blankStep, step } from './step-updates';

/**
 * Folds one event into the case state. Synchronous and pure: it reads only the state and the
 * event (no definition, no clock, no JSONata), returns a new state and never mutates its inputs,
 * so replaying a stream always gives the same state.
 */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const applied = apply(state, event);
  const next = { ...applied, controls: evolveControls(applied.controls, event) };
  const open = next.status === 'running' || next.status === 'awaiting-review';
  const reviewing = open && Object.values(next.tasks).some((t) => t.status === 'open');
  return {
    ...next,
    status: open ? (reviewing ? 'awaiting-review' : 'running') : next.status,
    eventCount: state.eventCount + 1,
  };
}

function apply(s: CaseState, e: CaseEvent): CaseState {
  switch (e.type) {
    case 'CaseStarted': {
      const d = e.data;
      return {
        ...s, caseId: d.caseId, status: 'running', workflow: d.workflow, workflowVersion: d.version, input: d.input,
        ...(d.key !== undefined && { key: d.key }), triggeredBy: d.triggeredBy, startedAt: d.startedAt,
        slaDueAt: d.slaDueAt ?? null, ...(d.parent !== undefined && { parent: d.parent }),
      };
    }
    case 'StepScheduled': {
      const d = e.data;
      if (d.childCaseId !== undefined) return withChild(apply(s, { type: 'StepScheduled', data: without(d, 'childCaseId') }), e);
      return step(s, d.stepId, (st) => ({
        ...without(st, 'retryAttempt', 'retryDueAt', 'output', 'completedAt', 'heartbeatDueAt'),
        status: 'running', stepType: d.stepType, attempt: d.attempt, deadline: d.deadline, input: d.input, params: d.params,
        ...(d.heartbeatDueAt !== undefined && { heartbeatDueAt: d.heartbeatDueAt }),
        ...(d.fallbackFor !== undefined && { fallbackFor: d.fallbackFor }),
        attempts: attemptsAfter(st, e),
      }));
    }
    case 'StepDeadlineExtended':
      return step(s, e.data.stepId, (st) => ({
        ...st, deadline: e.data.deadline, ...(e.data.heartbeatDueAt !== undefined && { heartbeatDueAt: e.data.heartbeatDueAt }),
        attempts: attemptsAfter(st, e),
      }));
    case 'StepCompleted': {
      const d = e.data;
      return {
        ...step(s, d.stepId, (st) => ({
          ...without(st, 'deadline', 'error'), status: 'completed', output: d.output, completedAt: d.completedAt,
          attempts: attemptsAfter(st, e),
        })),
        completionOrder: [...s.completionOrder.filter((id) => id !== d.stepId), d.stepId],
      };
    }
    case 'StepAttemptFailed':
      return step(s, e.data.stepId, (st) => ({
        ...without(st, 'deadline'), error: e.data.error,
        attempts: attemptsAfter(st, e),
      }));
    case 'StepTimedOut':
      return step(s, e.data.stepId, (st) => ({
        ...without(st, 'deadline'), error: e.data.error,
        attempts: attemptsAfter(st, e),
      }));
    case 'StepRetryScheduled':
      return step(s, e.data.stepId, (st) => ({ ...st, status: 'retry-wait', retryAttempt: e.data.attempt, retryDueAt: e.data.dueAt }));
    case 'StepSkipped':
      return step(s, e.data.stepId, (st) => ({ ...st, status: 'skipped', skipReason: e.data.reason }));
    case 'StepFailed': {
      const d = e.data;
      const fellBack = d.fallbackStepId !== undefined;
      return {
        ...step(s, d.stepId, (st) => ({
          ...without(st, 'deadline', 'retryAttempt', 'retryDueAt'), status: fellBack ? 'fallen-back' : 'failed', error: d.error,
          ...(fellBack && { fallbackStepId: d.fallbackStepId }),
        })),
        ...(!fellBack && { failure: { stepId: d.stepId, error: d.error } }),
      };
    }
    case 'FallbackStarted':
      return step(
        step(s, e.data.stepId, (st) => ({ ...st, fallbackStepId: e.data.fallbackStepId })),
        e.data.fallbackStepId, (st) => ({ ...st, fallbackFor: e.data.stepId }),
      );
    case 'StepAbandoned':
      return step(s, e.data.stepId, (st) => ({
        ...without(st, 'deadline', 'retryAttempt', 'retryDueAt'), status: 'cancelled',
        attempts: attemptsAfter(st, e),
      }));
    case 'ReviewRequested': {
      const d = e.data;
      return {
        ...step(s, d.stepId, (st) => ({ ...st, status: 'awaiting-review', taskId: d.taskId })),
        tasks: {
          ...s.tasks,
          [d.taskId]: {
            taskId: d.taskId, stepId: d.stepId, attempt: d.attempt, queue: d.queue, status: 'open', escalated: false,
            reason: d.reason, requestedAt: d.requestedAt, ...(d.dueAt !== undefined && { dueAt: d.dueAt }),
          },
        },
      };
    }
    case 'ReviewDecided': {
      const d = e.data;
      const task = s.tasks[d.taskId]!;
      const decided = {
        ...s,
        tasks: {
          ...s.tasks,
          [d.taskId]: {
            ...task, status: 'decided' as const, decision: d.decision, decidedBy: d.decidedBy, decidedAt: d.decidedAt,
            ...(d.reviewer !== undefined && { reviewer: d.reviewer }), ...(d.comment !== undefined && { comment: d.comment }),
            ...(d.decision === 'edit' && { editedOutput: d.output }),
          },
        },
      };
      if (d.decision === 'reject') return decided; // StepFailed follows
      return step(decided, d.stepId, (st) => ({ ...st, status: 'completed', ...(d.decision === 'edit' && { output: d.output }) }));
    }
    case 'ReviewEscalated': {
      const task = s.tasks[e.data.taskId]!;
      return { ...s, tasks: { ...s.tasks, [e.data.taskId]: { ...task, queue: e.data.queue, escalated: true } } };
    }
    case 'ReviewWithdrawn': {
      const task = s.tasks[e.data.taskId]!;
      return {
        ...step(s, e.data.stepId, (st) => ({ ...st, status: 'cancelled' })),
        tasks: { ...s.tasks, [e.data.taskId]: { ...task, status: 'withdrawn', withdrawnAt: e.data.at } },
      };
    }
    case 'CompensationStarted':
      return {
        ...s, status: 'compensating',
        compensation: { reason: e.data.reason, plan: e.data.plan, next: 0, completed: [], failures: [] },
      };
    case 'CompensationScheduled': {
      const d = e.data;
      return {
        ...step(s, d.stepId, (st) => ({ ...st, compensationAttempts: d.attempt })),
        compensation: { ...s.compensation!, current: { stepId: d.stepId, attempt: d.attempt, deadline: d.deadline } },
      };
    }
    case 'CompensationCompleted': {
      const c = s.compensation!;
      return {
        ...step(s, e.data.stepId, (st) => ({ ...st, compensated: true })),
        compensation: { ...without(c, 'current'), next: c.next + 1, completed: [...c.completed, e.data.stepId] },
      };
    }
    case 'CompensationFailed': {
      const c = s.compensation!;
      return {
        ...s,
        compensation: { ...without(c, 'current'), next: c.next + 1, failures: [...c.failures, { stepId: e.data.stepId, error: e.data.error }] },
      };
    }
    case 'CaseCompleted':
      return { ...s, status: 'completed', output: e.data.output, finishedAt: e.data.completedAt };
    case 'CaseFailed':
      return { ...s, status: 'failed', failure: { stepId: e.data.stepId, error: e.data.error }, finishedAt: e.data.failedAt };
    case 'CaseCancellationRequested':
      return { ...s, cancellation: { reason: e.data.reason, ...(e.data.requestedBy !== undefined && { requestedBy: e.data.requestedBy }) } };
    case 'CaseCancelled':
      return { ...s, status: 'cancelled', finishedAt: e.data.cancelledAt };
    case 'StepRetriedByOperator': {
      const steps = { ...s.steps };
      for (const id of e.data.reset) {
        const old = steps[id] ?? blankStep(id);
        steps[id] = {
          ...blankStep(id), attempt: old.attempt, runStartAttempt: old.attempt + 1, attempts: old.attempts,
          compensationAttempts: old.compensationAttempts,
        };
      }
      const reset = new Set(e.data.reset);
      return {
        ...s, status: 'running', steps, completionOrder: s.completionOrder.filter((id) => !reset.has(id)),
        compensation: null, failure: null, output: null, finishedAt: null,
      };
    }
    case 'SlaBreached':
      return { ...s, slaBreached: true };
    case 'CaseRepaired':
      return s;
    case 'SignalReceived': {
      const d = e.data;
      const signal = {
        signalId: d.signalId, name: d.name, payload: d.payload, receivedAt: d.receivedAt,
        ...(d.principal !== undefined && { principal: d.principal }), ...(d.stepId !== undefined && { consumedBy: d.stepId }),
      };
      return { ...s, signals: { ...s.signals, [d.signalId]: signal } };
    }
    case 'SignalConsumed': {
      const signal = s.signals?.[e.data.signalId];
      return signal ? { ...s, signals: { ...s.signals, [e.data.signalId]: { ...signal, consumedBy: e.data.stepId } } } : s;
    }
    case 'CasePaused':
    case 'CaseResumed':
      return s;
    case 'CaseReset': {
      const steps = { ...s.steps };
      for (const id of e.data.reset) {
        const old = steps[id] ?? blankStep(id);
        steps[id] = { ...blankStep(id), attempt: old.attempt, runStartAttempt: old.attempt + 1, attempts: old.attempts, compensationAttempts: old.compensationAttempts };
      }
      const reset = new Set(e.data.reset);
      return { ...s, steps, completionOrder: s.completionOrder.filter((id) => !reset.has(id)) };
    }
    case 'CaseTimedOut':
      return { ...s, failure: { stepId: '', error: caseTimeoutError(e.data.deadlineAt) } };
    case 'CaseBudgetExceeded':
      return e.data.onExceeded === 'fail' ? { ...s, failure: { stepId: e.data.stepId, error: budgetError(e.data) } } : s;
    case 'MapStarted':
    case 'MapItemScheduled':
    case 'MapItemCompleted':
    case 'MapItemFailed':
    case 'MapItemRetryScheduled':
      return step(s, e.data.stepId, (st) => evolveMap(st, e));
    case 'StepAdmitted':
    case 'StepAwaitingOperator':
    case 'ExhaustedStepResolved':
      return applyFlowControl(s, e);
  }
}

/** A sub-workflow attempt: its child case joins the step and the case's children. */
function withChild(s: CaseState, e: StepScheduled): CaseState {
  const d = e.data;
  const child = { caseId: d.childCaseId!, stepId: d.stepId, attempt: d.attempt, workflow: d.childWorkflow?.name ?? '', version: d.childWorkflow?.version ?? 0 };
  return { ...step(s, d.stepId, (st) => ({ ...st, childCaseId: d.childCaseId! })), children: [...(s.children ?? []), child] };
}




function without<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}
