/** A case, task, contract subject or schema id the request names does not exist (HTTP 404). */
export class ResourceNotFound extends Error {
  override readonly name = 'ResourceNotFound';
  constructor(readonly kind: 'case' | 'task' | 'subject' | 'schema' | 'limits' | 'schedule', readonly id: string, hint = '') {
    super(`no ${kind} '${id}'${hint ? ` (${hint})` : ''}`);
  }
}
