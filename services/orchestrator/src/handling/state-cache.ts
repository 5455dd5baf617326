import { isTerminal, type CaseState } from '@baton/workflow-engine';

/**
 * Recently folded case states by case id, bounded (least recently used out). A cached state is
 * only a head start: a state another orchestrator instance moved on is caught by the append's
 * expected-version check, and the transaction runs again with it forgotten.
 *
 * A case that ended (completed, failed, cancelled) is not kept: almost nothing reaches it any
 * more, and keeping every ended case until `capacity` pushes it out made the orchestrator's
 * memory grow with the number of cases handled (the benchmark's `--memory-cases`). A late message
 * for one loads it from its events.
 */
export class StateCache {
  private readonly states = new Map<string, CaseState>();

  /** @param capacity - most states kept (running cases), default 20 000 */
  constructor(private readonly capacity = 20000) {}

  get(caseId: string): CaseState | undefined {
    const state = this.states.get(caseId);
    if (state) { this.states.delete(caseId); this.states.set(caseId, state); }
    return state;
  }

  /** Keeps `state` as the latest committed state of `caseId`; an ended case is forgotten instead. */
  set(caseId: string, state: CaseState): void {
    this.states.delete(caseId);
    if (isTerminal(state)) return;
    this.states.set(caseId, state);
    if (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
  }

  forget(caseId: string): void {
    this.states.delete(caseId);
  }

  /** How many states are kept. */
  get size(): number {
    return this.states.size;
  }
}
