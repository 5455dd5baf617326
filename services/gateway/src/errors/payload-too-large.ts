/**
 * A request whose content is larger than Baton can carry (HTTP 413): the field and its size are
 * named, with the limit. Until large payloads travel by reference (a claim check), the gateway
 * refuses them rather than accept what the broker or the outbox could never deliver.
 */
export class PayloadTooLarge extends Error {
  override readonly name = 'PayloadTooLarge';
  /**
   * @param field - dotted path of the offending field (`input`)
   * @param bytes - its size, bytes
   * @param limit - the most accepted, bytes
   */
  constructor(readonly field: string, readonly bytes: number, readonly limit: number, what = 'as JSON') {
    super(`${field} is ${bytes} bytes ${what}, above the limit of ${limit} bytes`);
  }
}
