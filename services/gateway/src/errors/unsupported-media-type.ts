/** A request body in a media type the route does not read (HTTP 415). */
export class UnsupportedMediaType extends Error {
  override readonly name = 'UnsupportedMediaType';
  constructor(readonly mediaType: string, readonly accepted: readonly string[]) {
    super(`cannot read a body of type '${mediaType || '(none)'}'; send one of ${accepted.join(', ')}`);
  }
}
