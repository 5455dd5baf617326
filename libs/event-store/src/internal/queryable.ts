import type { QueryResult, QueryResultRow } from 'pg';

/**
 * Anything that runs one SQL statement: a pg `Pool` (each call is its own autocommit
 * transaction) or a {@link Tx} (the call joins the open transaction).
 * @internal
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
