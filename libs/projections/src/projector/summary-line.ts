import type { CaseEvent, CaseState, StepError } from '@baton/workflow-engine';
import { controlLine } from './control-line';

/**
 * One human-readable line for the timeline, e.g. `step classify attempt 1 completed in 120 ms`.
 * `before` is the case state the event was folded into (for durations). Deterministic: it reads
 * only the event and that state.
 * @internal
 */
export function summaryLine(e: CaseEvent, before: CaseState): string {
  switch (e.type) {
    case 'CaseStarted': {
      const d = e.data;
      return `case started on workflow ${d.workflow} v${d.version}, triggered by ${d.triggeredBy}${d.key !== undefined ? ` with key ${d.key}` : ''}`;
    }
    case 'StepScheduled': {
      const d = e.data;
      return `step ${d.stepId} attempt ${d.attempt} scheduled (type ${d.stepType}, deadline in ${d.deadline - d.scheduledAt} ms)` +
        (d.fallbackFor !== undefined ? ` as fallback for ${d.fallbackFor}` : '');
    }
    case 'StepDeadlineExtended': {
      const d = e.data;
      return `step ${d.stepId} attempt ${d.attempt} heartbeat: deadline moved to ${new Date(d.deadline).toISOString()}`;
    }
    case 'StepCompleted': {
      const d = e.data;
      const m = d.metering;
      const metering = m ? ` (model ${m.model}, ${m.inputTokens} in / ${m.outputTokens} out tokens, $${m.costUsd})` : '';
      return `step ${d.stepId} attempt ${d.attempt} completed in ${d.durationMs} ms${metering}`;
    }
    case 'StepAttemptFailed': {
      const d = e.data;
      return `step ${d.stepId} attempt ${d.attempt} failed${took(before, d.stepId, d.attempt, d.failedAt)}: ${err(d.error)}`;
    }
    case 'StepTimedOut': {
      const d = e.data;
      return `step ${d.stepId} attempt ${d.attempt} timed out (${d.timeout} timeout)${took(before, d.stepId, d.attempt, d.timedOutAt)}`;
    }
    case 'StepRetryScheduled':
      return `step ${e.data.stepId} attempt ${e.data.attempt} will run in ${e.data.delayMs} ms (retry)`;
    case 'StepSkipped':
      return `step ${e.data.stepId} skipped (${e.data.reason === 'when-false' ? 'its when is false' : 'every step it needs was skipped'})`;
    case 'StepFailed': {
      const d = e.data;
      return `step ${d.stepId} failed after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${err(d.error)}` +
        (d.fallbackStepId !== undefined ? `; fallback ${d.fallbackStepId} runs next` : '');
    }
    case 'FallbackStarted':
      return `step ${e.data.fallbackStepId} runs as the fallback of ${e.data.stepId}`;
    case 'StepAbandoned':
      return `step ${e.data.stepId} attempt ${e.data.attempt} abandoned (${e.data.reason})`;
    case 'ReviewRequested': {
      const d = e.data;
      return `step ${d.stepId} attempt ${d.attempt} awaits review in queue ${d.queue} (task ${d.taskId}): ${d.reason}`;
    }
    case 'ReviewDecided': {
      const d = e.data;
      const by = d.decidedBy === 'timeout' ? 'review timeout' : d.reviewer ?? 'a reviewer';
      return `review task ${d.taskId} of step ${d.stepId}: ${d.decision} by ${by}${d.comment ? ` (${d.comment})` : ''}`;
    }
    case 'ReviewEscalated':
      return `review task ${e.data.taskId} of step ${e.data.stepId} escalated from queue ${e.data.fromQueue} to ${e.data.queue}`;
    case 'ReviewWithdrawn':
      return `review task ${e.data.taskId} of step ${e.data.stepId} withdrawn (${e.data.reason})`;
    case 'CompensationStarted': {
      const plan = e.data.plan.map((p) => p.stepId);
      return `compensation started (${e.data.reason}): ${plan.length === 0 ? 'nothing to undo' : `undo ${plan.join(', ')}`}`;
    }
    case 'CompensationScheduled':
      return `compensation of step ${e.data.stepId} attempt ${e.data.attempt} scheduled (type ${e.data.stepType})`;
    case 'CompensationCompleted':
      return `compensation of step ${e.data.stepId} attempt ${e.data.attempt} completed`;
    case 'CompensationFailed':
      return `compensation of step ${e.data.stepId} attempt ${e.data.attempt} failed: ${err(e.data.error)}`;
    case 'CaseCompleted':
      return `case completed${since(before, e.data.completedAt)}`;
    case 'CaseFailed': {
      const d = e.data;
      return `case failed at step ${d.stepId}${since(before, d.failedAt)}: ${err(d.error)}${undone(d.compensated, d.compensationFailures.length)}`;
    }
    case 'CaseCancellationRequested':
      return `cancellation requested${e.data.requestedBy !== undefined ? ` by ${e.data.requestedBy}` : ''}: ${e.data.reason}`;
    case 'CaseCancelled':
      return `case cancelled${since(before, e.data.cancelledAt)}: ${e.data.reason}${undone(e.data.compensated, e.data.compensationFailures.length)}`;
    case 'StepRetriedByOperator': {
      const d = e.data;
      return `step ${d.stepId} retried${d.requestedBy !== undefined ? ` by ${d.requestedBy}` : ''} (reset ${d.reset.join(', ')})`;
    }
    case 'SlaBreached':
      return `SLA breached (due ${new Date(e.data.slaDueAt).toISOString()})`;
    case 'CaseRepaired': {
      const d = e.data;
      const what = d.rearmed.length === 0 ? 'no timer to set' : `timers set again: ${d.rearmed.map((id) => id.slice(id.indexOf(':') + 1)).join(', ')}`;
      return `case repaired${d.requestedBy !== undefined ? ` by ${d.requestedBy}` : ''} (${what}${d.advanced ? '; ready steps scheduled' : ''})`;
    }
    case 'SignalReceived': {
      const d = e.data;
      return `signal ${d.name} received (${d.signalId})${d.principal !== undefined ? ` from ${d.principal}` : ''}: ${d.stepId !== undefined ? `step ${d.stepId} takes it` : 'kept until a step waits for it'}`;
    }
    case 'SignalConsumed':
      return `step ${e.data.stepId} attempt ${e.data.attempt} takes the kept signal ${e.data.signalId}`;
    default:
      return controlLine(e);
    case 'MapStarted': {
      const d = e.data;
      return `map step ${d.stepId} started: ${d.items.length} item${d.items.length === 1 ? '' : 's'} of type ${d.stepType}, at most ${d.maxConcurrency} at once` +
        (d.fallbackFor !== undefined ? ` as fallback for ${d.fallbackFor}` : '');
    }
    case 'MapItemScheduled':
      return `map step ${e.data.stepId} item ${e.data.index} attempt ${e.data.attempt} scheduled`;
    case 'MapItemCompleted':
      return `map step ${e.data.stepId} item ${e.data.index} attempt ${e.data.attempt} completed in ${e.data.durationMs} ms`;
    case 'MapItemFailed': {
      const d = e.data;
      return `map step ${d.stepId} item ${d.index} attempt ${d.attempt} ${d.timedOut ? 'timed out' : 'failed'}${d.final ? ' for good' : ''}: ${err(d.error)}`;
    }
    case 'MapItemRetryScheduled':
      return `map step ${e.data.stepId} item ${e.data.index} attempt ${e.data.attempt} will run in ${e.data.delayMs} ms (retry)`;
    case 'StepAdmitted':
      return `step ${e.data.stepId} attempt ${e.data.attempt} admitted after waiting ${e.data.waitedMs} ms for its step type's limits`;
    case 'StepAwaitingOperator': {
      const d = e.data;
      return `step ${d.stepId} ran out of attempts (${d.attempts}): ${err(d.error)}; waits for an operator (task ${d.taskId})`;
    }
    case 'ExhaustedStepResolved':
      return `step ${e.data.stepId} resolved by ${e.data.principal ?? 'an operator'}: ${e.data.action}`;
  }
}

function err(e: StepError): string {
  return `${e.name}: ${e.message}${e.retryable ? '' : ' (non-retryable)'}`;
}

function took(s: CaseState, stepId: string, attempt: number, at: number): string {
  const a = s.steps[stepId]?.attempts.find((x) => x.attempt === attempt);
  return a ? ` after ${at - a.scheduledAt} ms` : '';
}

function since(s: CaseState, at: number): string {
  return s.startedAt === null ? '' : ` in ${at - s.startedAt} ms`;
}

function undone(compensated: readonly string[], failures: number): string {
  if (compensated.length === 0 && failures === 0) return '';
  return ` (compensated: ${compensated.length === 0 ? 'none' : compensated.join(', ')}${failures > 0 ? `; ${failures} compensation(s) failed` : ''})`;
}
