/**
 * `COMMIT` found the transaction aborted by an earlier failed statement (one whose error the
 * caller caught and swallowed), so Postgres rolled it back instead: nothing was written.
 * Without this error such a transaction would look committed.
 */
export class TransactionAbortedError extends Error {
  override readonly name = 'TransactionAbortedError';

  constructor() {
    super('Transaction rolled back at COMMIT: an earlier statement failed inside it, so nothing was written');
  }
}
