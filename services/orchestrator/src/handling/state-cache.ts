import type { CaseState } from '@baton/workflow-engine';

/**
 * Recently folded case states by case id, bounded (least recently used out). A cached state is
 * only a head start: the handler still reads every event after `state.eventCount` inside its
 * transaction, so a state another orchestrator instance moved on is caught up, never trusted.
 */
export class StateCache {
  private readonly states = new Map<string, CaseState>();

  constructor(private readonly capacity = 20000) {}

  get(caseId: string): CaseState | undefined {
    const state = this.states.get(caseId);
    if (state) { this.states.delete(caseId); this.states.set(caseId, state); }
    return state;
  }

  set(caseId: string, state: CaseState): void {
    this.states.delete(caseId);
    this.states.set(caseId, state);
    if (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
  }

  forget(caseId: string): void {
    this.states.delete(caseId);
  }
}
