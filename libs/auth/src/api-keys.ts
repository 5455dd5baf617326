import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { InvalidCredentials, type Principal } from './principal';

/** A stored key as listed (never its secret). */
export interface ApiKeyInfo {
  keyId: string;
  tenant: string;
  name: string;
  roles: string[];
  createdAt: string;
  revokedAt: string | null;
}

const KEY_PATTERN = /^bk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * API keys of upstream systems, in the `api_keys` table (libs/auth migrations). A key is
 * `bk_<keyId: 16 hex>_<secret: 32 random bytes, base64url>`; only its SHA-256 is stored, so the
 * table never holds a usable key (a key of 256 random bits needs no slow hash). Shown once, at
 * creation.
 */
export class ApiKeys {
  constructor(private readonly pool: Pool) {}

  /**
   * Creates a key.
   * @returns the key (shown once) and its id
   * @throws Error naming `tenant`, `name` or `roles` when one is empty
   */
  async create(o: { tenant: string; name: string; roles: readonly string[] }): Promise<{ keyId: string; key: string }> {
    for (const [field, v] of [['tenant', o.tenant], ['name', o.name]] as const) if (!v || !v.trim()) throw new Error(`${field}: must not be empty`);
    if (o.roles.length === 0) throw new Error('roles: give at least one role');
    const keyId = randomBytes(8).toString('hex');
    const key = `bk_${keyId}_${randomBytes(32).toString('base64url')}`;
    await this.pool.query('INSERT INTO api_keys (key_id, tenant, name, roles, key_sha256) VALUES ($1, $2, $3, $4, $5)', [keyId, o.tenant, o.name, [...o.roles], sha256(key)]);
    return { keyId, key };
  }

  /** Revokes a key at once (the next request with it is a 401). @returns false when no such key exists */
  async revoke(keyId: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL', [keyId])).rowCount ?? 0) > 0
      || ((await this.pool.query('SELECT 1 FROM api_keys WHERE key_id = $1', [keyId])).rowCount ?? 0) > 0;
  }

  /** Every key, newest first (ids, tenants, names, roles; no secrets). */
  async list(): Promise<ApiKeyInfo[]> {
    const rows = (await this.pool.query('SELECT key_id, tenant, name, roles, created_at, revoked_at FROM api_keys ORDER BY created_at DESC')).rows;
    return rows.map((r) => ({ keyId: r.key_id, tenant: r.tenant, name: r.name, roles: r.roles, createdAt: new Date(r.created_at).toISOString(), revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null }));
  }

  /**
   * The principal of a presented key.
   * @throws InvalidCredentials for a malformed, unknown or revoked key
   */
  async principal(key: string): Promise<Principal> {
    const m = KEY_PATTERN.exec(key);
    if (!m) throw new InvalidCredentials('the API key is malformed');
    const row = (await this.pool.query('SELECT tenant, roles, key_sha256, revoked_at FROM api_keys WHERE key_id = $1', [m[1]])).rows[0];
    if (!row || !timingSafeEqual(row.key_sha256 as Buffer, sha256(key))) throw new InvalidCredentials('the API key is not known');
    if (row.revoked_at) throw new InvalidCredentials('the API key is revoked');
    return { subject: `api-key:${m[1]}`, tenant: row.tenant, roles: row.roles, via: 'api-key' };
  }
}
