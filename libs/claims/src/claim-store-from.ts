import { Pool } from 'pg';
import { FileClaimStore } from './file-claim-store';
import { PostgresClaimStore } from './postgres-claim-store';
import type { ClaimStore } from './claim-store';

/**
 * A claim store from its location: a `postgres://` (or `postgresql://`) URL is the `claims` table
 * of that database (a pool of `poolSize` connections, default 2, closed by `close()`); anything
 * else is a directory (`FileClaimStore`).
 * @param location - e.g. `BATON_CLAIM_STORE`
 */
export function claimStoreFrom(location: string, options: { poolSize?: number } = {}): ClaimStore {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const pool = new Pool({ connectionString: location, max: options.poolSize ?? 2 });
    return new PostgresClaimStore(pool, () => pool.end());
  }
  return new FileClaimStore(location);
}
