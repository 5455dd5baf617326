import { LRUCache } from 'lru-cache';
import type { CaseState } from '@baton/workflow-engine';

/**
 * Recently folded case states by case id, at most `capacity` (least recently used out;
 * `lru-cache`). A cached state is only a head start: the handler still reads every event after
 * `state.eventCount` inside its transaction, so a state another orchestrator instance moved on is
 * caught up, never trusted.
 */
export class StateCache extends LRUCache<string, CaseState> {
  /** @param capacity - states kept (default 20 000) */
  constructor(capacity = 20000) {
    super({ max: capacity });
  }

  /** Drops the case's state (after a failed transaction: it may be ahead of what committed). */
  forget(caseId: string): void {
    this.delete(caseId);
  }
}
