import { LRUCache } from 'lru-cache';
import { isTerminal, type CaseState } from '@baton/workflow-engine';

/**
 * Recently folded case states by case id, at most `capacity` (least recently used out;
 * `lru-cache`). A cached state is only a head start: a state another orchestrator instance moved
 * on is caught by the append's expected-version check, and the transaction runs again with it
 * forgotten.
 *
 * A case that ended (completed, failed, cancelled) is not kept: almost nothing reaches it any
 * more, and keeping every ended case until `capacity` pushes it out made the orchestrator's
 * memory grow with the number of cases handled (the benchmark's `--memory-cases`). A late message
 * for one loads it from its events.
 */
export class StateCache extends LRUCache<string, CaseState> {
  /** @param capacity - most states kept (running cases), default 20 000 */
  constructor(capacity = 20000) {
    super({ max: capacity });
  }

  /** Keeps `state` as the latest committed state of `caseId`; an ended case is forgotten instead. */
  override set(caseId: string, state: CaseState, options?: LRUCache.SetOptions<string, CaseState, unknown>): this {
    if (isTerminal(state)) {
      this.delete(caseId);
      return this;
    }
    return super.set(caseId, state, options);
  }

  /** Drops the case's state (after a failed transaction: it may be ahead of what committed). */
  forget(caseId: string): void {
    this.delete(caseId);
  }
}
