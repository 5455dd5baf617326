import type { EventStore, Tx } from '@baton/event-store';
import {
  CaseCommandError, decide, defineWorkflow, evolve, initialState,
  type CaseCommand, type CaseEvent, type CaseState, type StepDispatch, type TimerRequest, type WorkflowDefinition,
} from '@baton/workflow-engine';

/**
 * The workflow the specs drive: `parse` (retried, compensable) fans out to `classify` (review
 * gate on low confidence) and `extract` in parallel; `reply` needs both.
 * @internal Test helper; not exported from the lib.
 */
export const triageWorkflow: WorkflowDefinition = defineWorkflow({
  name: 'triage', version: 1, sla: 'PT10M',
  steps: {
    parse: {
      type: 'email.parse', compensate: 'email.unparse', timeout: 'PT30S',
      retry: { maxAttempts: 3, initialInterval: 'PT1S', backoffCoefficient: 2, jitter: 0, nonRetryable: ['MalformedEmail'] },
    },
    classify: {
      type: 'text.classify', needs: ['parse'], input: "{ 'subject': steps.parse.output.subject }", with: { model: 'fast' },
      retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 },
      review: { when: 'output.confidence < 0.8', queue: 'triage', timeout: 'PT1H', onTimeout: 'escalate' },
    },
    extract: { type: 'text.entities', needs: ['parse'], compensate: 'text.forget', retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 } },
    reply: { type: 'text.draft', needs: ['classify', 'extract'], retry: { maxAttempts: 1 } },
  },
});

/**
 * Plays the orchestrator for one case, as `CaseHandler` does: decide with the engine, append the
 * events at the expected version (the events so far) in one transaction, fold them.
 * @internal
 */
export class CaseDriver {
  state: CaseState = initialState();
  /** Step requests not answered yet, by `<stepId>#<attempt>`. */
  readonly requests = new Map<string, StepDispatch>();
  /** Timers set and not fired yet, by id. */
  readonly timers = new Map<string, TimerRequest>();
  readonly events: CaseEvent[] = [];

  constructor(readonly store: EventStore, readonly caseId: string, readonly workflow: WorkflowDefinition = triageWorkflow) {}

  /**
   * Decides `command` at `now` and appends what it caused (in `tx` when given).
   * @returns the events; `[]` when the engine refused the command or it changed nothing.
   */
  async send(command: CaseCommand, now: number, tx?: Tx): Promise<CaseEvent[]> {
    let decision;
    try {
      decision = await decide(command, this.state, { workflow: this.workflow, now, random: () => 0.5 });
    } catch (error) {
      if (error instanceof CaseCommandError) return [];
      throw error;
    }
    const events = decision.events;
    if (events.length === 0) return [];
    const expected = this.state.eventCount === 0 ? 'no-stream' : this.state.eventCount;
    const append = (t: Tx) => this.store.appendToStream(t, this.caseId, expected, events.map((e) => ({
      type: e.type, data: e.data, metadata: { correlationId: this.caseId },
    })));
    if (tx) await append(tx);
    else await this.store.withTransaction(append);
    this.state = events.reduce(evolve, this.state);
    this.events.push(...events);
    if (command.type === 'StepResultCompleted' || command.type === 'StepResultFailed') {
      this.requests.delete(`${command.data.stepId}#${command.data.attempt}`);
    }
    for (const r of decision.requests) this.requests.set(`${r.stepId}#${r.attempt}`, r);
    for (const t of decision.timers) this.timers.set(t.timerId, t);
    return events;
  }

  start(now: number, input: unknown = { raw: 'Subject: hello' }, key?: string): Promise<CaseEvent[]> {
    return this.send({ type: 'StartCase', data: { caseId: this.caseId, input, triggeredBy: 'test', ...(key !== undefined && { key }) } }, now);
  }

  complete(stepId: string, attempt: number, output: unknown, now: number, metering?: { model: string; inputTokens: number; outputTokens: number; costUsd: number }): Promise<CaseEvent[]> {
    return this.send({ type: 'StepResultCompleted', data: { stepId, attempt, output, ...(metering && { metering }) } }, now);
  }

  fail(stepId: string, attempt: number, name: string, retryable: boolean, now: number, tx?: Tx): Promise<CaseEvent[]> {
    return this.send({ type: 'StepResultFailed', data: { stepId, attempt, error: { name, message: `${name} happened`, retryable } } }, now, tx);
  }

  /** Fires the earliest timer (time moves to its due time if that is later); `[]` if none. */
  async fireNextTimer(now: number): Promise<{ events: CaseEvent[]; now: number }> {
    const next = [...this.timers.values()].sort((a, b) => a.dueAt - b.dueAt || a.timerId.localeCompare(b.timerId))[0];
    if (!next) return { events: [], now };
    this.timers.delete(next.timerId);
    const at = Math.max(now, next.dueAt);
    const events = await this.send({
      type: 'TimerFired',
      data: { timerId: next.timerId, kind: next.kind, ...(next.stepId !== undefined && { stepId: next.stepId }), ...(next.attempt !== undefined && { attempt: next.attempt }) },
    }, at);
    return { events, now: at };
  }

  /** Fires the timer of `kind` (for `stepId` and `attempt`), as the timer loop would at `now`. */
  fire(kind: TimerRequest['kind'], now: number, stepId?: string, attempt?: number): Promise<CaseEvent[]> {
    const timer = [...this.timers.values()].find((t) => t.kind === kind && t.stepId === stepId && t.attempt === attempt);
    if (!timer) throw new Error(`no ${kind} timer for ${stepId ?? 'the case'} attempt ${attempt ?? '-'} in ${this.caseId}`);
    this.timers.delete(timer.timerId);
    return this.send({
      type: 'TimerFired',
      data: { timerId: timer.timerId, kind, ...(stepId !== undefined && { stepId }), ...(attempt !== undefined && { attempt }) },
    }, now);
  }

  openTasks(): string[] {
    return Object.values(this.state.tasks).filter((t) => t.status === 'open').map((t) => t.taskId);
  }
}
