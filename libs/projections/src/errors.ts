import type { Checkpoint } from '@baton/event-store';

/**
 * `catchUp` did not reach the events that were committed when it began, within its time limit.
 * Reading in commit order waits for every older transaction of the server to end, so a
 * long-running writing transaction anywhere on the server holds a projector back.
 */
export class ProjectionLagError extends Error {
  override readonly name = 'ProjectionLagError';
  constructor(readonly projector: string, readonly at: Checkpoint | null, readonly target: Checkpoint, readonly timeoutMs: number) {
    super(`projector '${projector}' did not catch up within ${timeoutMs} ms: at ${describe(at)}, target ${describe(target)} ` +
      '(a long-running transaction on the server holds commit-order reading back)');
  }
}

/** A query of {@link ProjectionQueries} was given a value it cannot use; `field` names the parameter. */
export class InvalidProjectionQuery extends Error {
  override readonly name = 'InvalidProjectionQuery';
  constructor(readonly field: string, detail: string) {
    super(`invalid '${field}': ${detail}`);
  }
}

function describe(c: Checkpoint | null): string {
  return c === null ? 'the beginning' : `transaction ${c.transactionId} position ${c.globalPosition}`;
}
