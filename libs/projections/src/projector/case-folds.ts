import { LRUCache } from 'lru-cache';
import { isTerminal, type CaseState } from '@baton/workflow-engine';

/**
 * A case as far as the projections have applied its stream: the state folded by the engine's
 * `evolve`, the stream position of the last applied event (`position`), and that event's time and
 * global position. Every projection row of the case reflects exactly stream positions 1..position.
 * @internal
 */
export interface CaseFold {
  readonly state: CaseState;
  readonly position: number;
  readonly lastEventAt: number;
  readonly lastGlobalPosition: number;
}

/**
 * Recently used {@link CaseFold}s by case id, at most `capacity` (least recently used out;
 * `lru-cache`). Only a head start: on a miss the projector folds the stream again, so evicting
 * never changes a row. The fold of a case that ended is not kept (few events follow it), so the
 * cache holds running cases and memory does not grow with the number of cases projected.
 * @internal
 */
export class CaseFoldCache extends LRUCache<string, CaseFold> {
  /** @param capacity - folds kept, a positive integer */
  constructor(capacity: number) {
    super({ max: capacity });
  }

  /** Keeps `fold` as the case's latest; the fold of an ended case is dropped instead. */
  override set(caseId: string, fold: CaseFold, options?: LRUCache.SetOptions<string, CaseFold, unknown>): this {
    if (isTerminal(fold.state)) {
      this.delete(caseId);
      return this;
    }
    return super.set(caseId, fold, options);
  }
}
