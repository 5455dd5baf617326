import { ClaimNotFound, verified, type Claim, type ClaimStore, type SqlQueryable } from './claim-store';

/**
 * Claims in the `claims` table (`sha256 text PRIMARY KEY, content bytea, bytes int, created_at`),
 * created by the event store's migrations. `put` inside the orchestrator's transaction commits the
 * claims with the outbox rows that refer to them.
 */
export class PostgresClaimStore implements ClaimStore {
  /**
   * @param db - a pg `Pool` (or anything with `query`) on a database where the event store's migrations ran
   * @param onClose - what `close` releases (a pool made for this store)
   */
  constructor(private readonly db: SqlQueryable, private readonly onClose?: () => Promise<void>) {}

  async put(claims: readonly Claim[], within?: SqlQueryable): Promise<void> {
    const unique = [...new Map(claims.map((c) => [c.sha256, c])).values()];
    if (unique.length === 0) return;
    await (within ?? this.db).query(
      `INSERT INTO claims (sha256, content, bytes)
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::int[])
       ON CONFLICT (sha256) DO NOTHING`,
      [unique.map((c) => c.sha256), unique.map((c) => c.content), unique.map((c) => c.content.length)],
    );
  }

  async get(sha256: string): Promise<Buffer> {
    const { rows } = await this.db.query('SELECT content FROM claims WHERE sha256 = $1', [sha256]);
    const row = rows[0] as { content: Buffer } | undefined;
    if (!row) throw new ClaimNotFound(sha256, 'the claims table');
    return verified(sha256, row.content);
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }
}
