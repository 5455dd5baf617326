/**
 * Thrown by a handler for a message that retrying cannot fix (it does not match its contract,
 * it names a case that does not exist...). The consumer runner sends the message to the
 * dead-letter topic with this error's name and message, commits, and moves on.
 */
export class UnprocessableMessageError extends Error {
  override readonly name: string;
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** True when `error` should dead-letter its message rather than be retried. */
export function isUnprocessable(error: unknown): boolean {
  if (error instanceof UnprocessableMessageError) return true;
  return typeof error === 'object' && error !== null && (error as { deadLetter?: unknown }).deadLetter === true;
}
