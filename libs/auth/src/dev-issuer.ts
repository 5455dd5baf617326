import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';

/** The `iss` of every token the development issuer signs. */
export const DEV_ISSUER = 'urn:baton:dev-issuer';
/** The audience Baton's gateway expects by default (`BATON_OIDC_AUDIENCE`). */
export const DEFAULT_AUDIENCE = 'baton';
const KEY_FILE = 'dev-issuer-key.json';
const ALG = 'ES256';

/** What a development token says. */
export interface DevTokenClaims {
  subject: string;
  tenant?: string;
  roles: readonly string[];
  /** Default {@link DEFAULT_AUDIENCE}. */
  audience?: string;
  /** Lifetime in seconds, default 3 600; negative for a token that has expired already (tests). */
  expiresInSeconds?: number;
}

/**
 * The local development issuer: an ES256 key pair kept in one directory (`$BATON_HOME/dev-issuer`
 * for `npm start`), generated on first use, whose public half the gateway trusts when
 * `BATON_DEV_ISSUER_DIR` names that directory. Whoever can read the directory can mint any
 * token: it is for a developer's machine and tests, never for a deployment (docs/SECURITY.md).
 */
export class DevIssuer {
  private constructor(private readonly privateJwk: JWK, readonly issuer: string) {}

  /**
   * Opens the key pair in `dir`, generating it when absent (written once, atomically, mode 0600, so
   * two processes opening the same directory agree on one key).
   * @param issuer - the `iss` claim; default {@link DEV_ISSUER}
   */
  static async open(dir: string, issuer = DEV_ISSUER): Promise<DevIssuer> {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, KEY_FILE);
    try {
      return new DevIssuer(JSON.parse(readFileSync(file, 'utf8')) as JWK, issuer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: ALG, use: 'sig', kid: randomBytes(8).toString('hex') };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, JSON.stringify(jwk), { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(tmp);
    }
    return new DevIssuer(JSON.parse(readFileSync(file, 'utf8')) as JWK, issuer);
  }

  /** The public key set (RFC 7517), what a verifier trusts. */
  get jwks(): JSONWebKeySet {
    const { d: _private, ...pub } = this.privateJwk;
    void _private;
    return { keys: [pub] };
  }

  /** Signs a token for `claims` (`sub`, `tenant`, `roles`, `aud`, `iss`, `iat`, `exp`). */
  async mint(claims: DevTokenClaims): Promise<string> {
    const key = await importJWK(this.privateJwk, ALG);
    const now = Math.floor(Date.now() / 1000);
    const lifetime = claims.expiresInSeconds ?? 3600;
    return new SignJWT({ roles: [...claims.roles], ...(claims.tenant !== undefined && { tenant: claims.tenant }) })
      .setProtectedHeader({ alg: ALG, kid: this.privateJwk.kid! })
      .setIssuer(this.issuer).setSubject(claims.subject).setAudience(claims.audience ?? DEFAULT_AUDIENCE)
      .setIssuedAt(Math.min(now, now + lifetime - 60)).setExpirationTime(now + lifetime)
      .sign(key);
  }
}
