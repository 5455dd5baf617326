import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Queryable } from '../internal/queryable';
import { TransactionAbortedError } from '../errors/transaction-aborted.error';

/** Where a {@link Tx} stands: open until `withTransaction` commits or rolls it back. */
export type TxState = 'open' | 'committed' | 'rolled-back';

/**
 * One open Postgres transaction on one pooled connection, made by
 * {@link EventStore.withTransaction}. Every write of the store takes a `Tx`, so that an
 * inbox check, an append, outbox rows and timers commit or roll back together.
 *
 * `query` is public so that a caller can add its own statements (a projection row, say)
 * to the same transaction. Do not send `COMMIT` or `ROLLBACK` through it: the transaction's
 * end belongs to `withTransaction`.
 */
export class Tx implements Queryable {
  private current: TxState = 'open';

  /** @internal Made only by `withTransaction`. */
  constructor(private readonly client: PoolClient) {}

  /** `open`, `committed` or `rolled-back`. */
  get state(): TxState {
    return this.current;
  }

  /**
   * Runs one statement inside the transaction.
   * @throws Error when the transaction has already ended (for example after a
   *   {@link WrongExpectedVersionError} from a write conflict, which rolls it back).
   */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    if (this.current !== 'open') {
      return Promise.reject(new Error(`transaction already ${this.current}: start a new one with withTransaction`));
    }
    return this.client.query<R>(text, values);
  }

  /**
   * @internal Ends the transaction; used by `withTransaction` and by a failed append.
   * @throws TransactionAbortedError when `COMMIT` finds the transaction already aborted by an
   *   earlier failed statement (Postgres then answers `ROLLBACK`, not an error).
   */
  async end(outcome: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (this.current !== 'open') return;
    this.current = outcome === 'COMMIT' ? 'committed' : 'rolled-back';
    let result: QueryResult;
    try {
      result = await this.client.query(outcome);
    } catch (error) {
      this.current = 'rolled-back';
      throw error;
    }
    if (outcome === 'COMMIT' && result.command === 'ROLLBACK') {
      this.current = 'rolled-back';
      throw new TransactionAbortedError();
    }
  }

  /**
   * @internal Rolls the transaction back, then runs one autocommit statement on the same
   * connection. Used when Postgres has already aborted the transaction (a unique violation)
   * and the error still needs a fresh read; no second pooled connection is taken, so a
   * pool full of such transactions cannot deadlock.
   */
  async rollbackThenQuery<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    await this.end('ROLLBACK');
    return this.client.query<R>(text, values);
  }
}
