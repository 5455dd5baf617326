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
 * Recently used {@link CaseFold}s by case id, bounded (least recently used out). Only a head
 * start: on a miss the projector folds the stream again, so evicting never changes a row. The
 * fold of a case that ended is not kept (few events follow it), so the cache holds running
 * cases and memory does not grow with the number of cases projected.
 * @internal
 */
export class CaseFoldCache {
  private readonly folds = new Map<string, CaseFold>();

  constructor(private readonly capacity: number) {}

  get(caseId: string): CaseFold | undefined {
    const fold = this.folds.get(caseId);
    if (fold) { this.folds.delete(caseId); this.folds.set(caseId, fold); }
    return fold;
  }

  set(caseId: string, fold: CaseFold): void {
    this.folds.delete(caseId);
    if (isTerminal(fold.state)) return;
    this.folds.set(caseId, fold);
    while (this.folds.size > this.capacity) this.folds.delete(this.folds.keys().next().value as string);
  }

  clear(): void {
    this.folds.clear();
  }
}
