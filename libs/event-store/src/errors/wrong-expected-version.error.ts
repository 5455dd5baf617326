import type { ExpectedVersion } from '../streams/expected-version';

/**
 * An append found the stream at another version than the caller expected, or lost a race
 * with a concurrent append to the same stream (the unique `(stream_id, stream_position)`
 * constraint). The handler reloads the stream and retries the whole transaction.
 *
 * The message carries its context, as message-db's does:
 * `Wrong expected version: 4 (stream: case-123, stream version: 6)`.
 */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  /**
   * @param streamId - the stream appended to.
   * @param expected - the version the caller expected.
   * @param actual - the stream's version (its last stream position, 0 when empty) as seen
   *   right after the failure.
   */
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Wrong expected version: ${expected} (stream: ${streamId}, stream version: ${actual})`);
  }
}
