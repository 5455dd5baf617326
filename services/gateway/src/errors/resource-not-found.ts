/** A case or task the request names does not exist (HTTP 404). */
export class ResourceNotFound extends Error {
  override readonly name = 'ResourceNotFound';
  constructor(readonly kind: 'case' | 'task', readonly id: string, hint = '') {
    super(`no ${kind} '${id}'${hint ? ` (${hint})` : ''}`);
  }
}
