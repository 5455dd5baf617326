import type { Pool } from 'pg';
import { Tx } from './tx';

/**
 * Runs `fn` in one transaction on one pooled connection: `BEGIN`, `fn(tx)`, `COMMIT`; on
 * any error thrown by `fn` (or by `COMMIT`), `ROLLBACK` and rethrow. Isolation is
 * Postgres's default, READ COMMITTED: appends stay safe through the unique
 * `(stream_id, stream_position)` constraint, not through isolation.
 *
 * The connection goes back to the pool afterwards, or is discarded if `ROLLBACK` itself
 * failed or the connection reported an error (a broken connection must not serve the next
 * caller). While checked out, the client's `error` event is listened to: node-postgres emits it
 * when the connection drops mid-transaction, and with no listener that event would end the
 * process (the fault suite's ambiguous-commit scenario found it).
 *
 * @returns what `fn` returned, once the transaction has committed.
 */
export async function withTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => { broken = error; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const tx = new Tx(client);
    try {
      const result = await fn(tx);
      await tx.end('COMMIT');
      return result;
    } catch (error) {
      try {
        await tx.end('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    }
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
