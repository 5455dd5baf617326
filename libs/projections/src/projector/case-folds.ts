import { LRUCache } from 'lru-cache';
import type { CaseState } from '@baton/workflow-engine';

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
 * never changes a row.
 * @internal
 */
export class CaseFoldCache extends LRUCache<string, CaseFold> {
  /** @param capacity - folds kept, a positive integer */
  constructor(capacity: number) {
    super({ max: capacity });
  }
}
