/**
 * The request is well formed but the state of what it names makes it impossible (HTTP 409):
 * retrying a case that is not failed, cancelling an ended case, deciding a decided task.
 */
export class StateConflict extends Error {
  override readonly name = 'StateConflict';
  constructor(readonly kind: 'case' | 'task', readonly id: string, readonly status: string, reason: string) {
    super(`${kind} '${id}' is ${status}: ${reason}`);
  }
}
