import type { CaseEvent } from '../events';
import type { ChildEndNotice, ChildStart, DecideContext, Decision, IgnoredReason, StepDispatch, TimerRequest } from './decision';
import { childEffects } from './sub-workflow/effects';
import { evolve } from './evolve';
import type { CaseState } from './state';
import { timersEndedBy } from './timers';

/**
 * The decision being built. Handlers only call its functions ({@link emit}, {@link dispatch},
 * {@link setTimer}, {@link ignore}); each emitted event is folded at once, so later rules see its
 * effect, and the timers an event makes pointless are cancelled as it is emitted.
 * @internal
 */
export interface Draft {
  state: CaseState;
  readonly ctx: DecideContext;
  readonly events: CaseEvent[];
  readonly requests: StepDispatch[];
  /** Timer id to the timer to set, or null to cancel it: the last word on an id wins. */
  readonly timers: Map<string, TimerRequest | null>;
  ignored?: IgnoredReason;
  /** Child cases to start, to cancel, and the notice to a parent (sub-workflows). */
  readonly children: ChildStart[];
  readonly cancelChildren: string[];
  parentNotice?: ChildEndNotice;
}

/** @internal */
export function draft(state: CaseState, ctx: DecideContext): Draft {
  return { state, ctx, events: [], requests: [], timers: new Map(), children: [], cancelChildren: [] };
}

/** Records an event, cancels the timers it ends, and folds it into the draft's state. @internal */
export function emit(d: Draft, event: CaseEvent): void {
  for (const id of timersEndedBy(d.state, event)) d.timers.set(id, null);
  childEffects(d, event);
  d.events.push(event);
  d.state = evolve(d.state, event);
}

/** Asks for a step request to be sent. @internal */
export function dispatch(d: Draft, request: StepDispatch): void {
  d.requests.push(request);
}

/** Asks for a durable timer (an upsert by id). @internal */
export function setTimer(d: Draft, timer: TimerRequest): void {
  d.timers.set(timer.timerId, timer);
}

/** Says the command changes nothing, and why. @internal */
export function ignore(d: Draft, reason: IgnoredReason): void {
  d.ignored = reason;
}

/**
 * Marks a result or heartbeat as dropped, with the reason read from the case: ended,
 * compensating, or else an attempt that is not the running one.
 * @internal
 */
export function ignoreStale(d: Draft): void {
  const s = d.state.status;
  ignore(d, s === 'completed' || s === 'failed' || s === 'cancelled' ? 'case-ended' : s === 'compensating' ? 'case-compensating' : 'stale-attempt');
}

/** @internal */
export function toDecision(d: Draft): Decision {
  const timers: TimerRequest[] = [];
  const cancelTimers: string[] = [];
  for (const [id, t] of d.timers) {
    if (t) timers.push(t);
    else cancelTimers.push(id);
  }
  const ignored = d.events.length === 0 ? (d.ignored ?? 'no-change') : undefined;
  return {
    events: d.events, requests: d.requests, timers, cancelTimers, ...(ignored !== undefined && { ignored }),
    ...(d.children.length > 0 && { children: d.children }), ...(d.cancelChildren.length > 0 && { cancelChildren: d.cancelChildren }),
    ...(d.parentNotice !== undefined && { parentNotice: d.parentNotice }),
  };
}
