import type { CaseEvent } from '../events';
import { evolve } from './evolve';
import { initialState, type CaseState } from './state';

/** Folds a case's events, oldest first, into its state: `events.reduce(evolve, initialState())`. */
export function foldEvents(events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, initialState());
}
