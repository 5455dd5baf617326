import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevIssuer, type DevTokenClaims } from '@baton/auth';

/** Every role, for a test that exercises the whole API as one caller. */
export const ALL_ROLES: readonly string[] = ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'];

/** A development issuer for one test file: hand `env` to the gateway, and `token`/`headers` to its clients. */
export interface TestIssuer {
  /** The issuer's key directory (a fresh temporary one). */
  readonly dir: string;
  /** `BATON_DEV_ISSUER_DIR` for the gateway's environment. */
  readonly env: { BATON_DEV_ISSUER_DIR: string };
  /** A signed token; default subject `test`, tenant `default`, {@link ALL_ROLES}. */
  token(claims?: Partial<DevTokenClaims>): Promise<string>;
  /** `{ authorization: 'Bearer <token>' }` for the same claims. */
  headers(claims?: Partial<DevTokenClaims>): Promise<Record<string, string>>;
}

/**
 * A development issuer whose key pair lives in a fresh temporary directory: the gateway started
 * with {@link TestIssuer.env} trusts the tokens minted here, as `npm start`'s does those of
 * `$BATON_HOME/dev-issuer`. Tests call the gateway with auth on, like any client.
 * @param dir - reuse a directory (another issuer's keys) instead of a fresh one
 */
export async function devIssuer(dir: string = mkdtempSync(join(tmpdir(), 'baton-dev-issuer-'))): Promise<TestIssuer> {
  const issuer = await DevIssuer.open(dir);
  const token = (c: Partial<DevTokenClaims> = {}) => issuer.mint({ subject: 'test', roles: ALL_ROLES, ...c });
  return {
    dir, env: { BATON_DEV_ISSUER_DIR: dir }, token,
    headers: async (c) => ({ authorization: `Bearer ${await token(c)}` }),
  };
}
