import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_TENANT, InvalidCredentials, parseRoles, type Principal } from './principal';

/** An issuer whose tokens the gateway accepts. */
export interface TrustedIssuer {
  /** The exact `iss` claim. */
  issuer: string;
  /** The `aud` a token must name. */
  audience: string;
  /** The key set its signatures are checked against. */
  keys: JWTVerifyGetKey;
  /** Claim holding the roles (default `roles`). */
  rolesClaim?: string;
  /** Claim holding the tenant (default `tenant`; absent: {@link DEFAULT_TENANT}). */
  tenantClaim?: string;
}

/** An issuer trusted through a key set held in memory (the development issuer's). */
export function localIssuer(issuer: string, audience: string, jwks: JSONWebKeySet): TrustedIssuer {
  return { issuer, audience, keys: createLocalJWKSet(jwks) };
}

/**
 * An OIDC issuer: its key set is fetched from the `jwks_uri` of
 * `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0) on first use, or from
 * `jwksUrl` when given, and cached and refreshed by jose (`createRemoteJWKSet`).
 */
export function oidcIssuer(issuer: string, audience: string, o: { jwksUrl?: string; rolesClaim?: string; tenantClaim?: string } = {}): TrustedIssuer {
  let remote: JWTVerifyGetKey | undefined;
  const keys: JWTVerifyGetKey = async (header, token) => {
    if (!remote) {
      let jwksUrl = o.jwksUrl;
      if (!jwksUrl) {
        const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
        if (!res.ok) throw new InvalidCredentials(`the issuer's discovery document answered ${res.status}`);
        jwksUrl = ((await res.json()) as { jwks_uri?: string }).jwks_uri;
        if (!jwksUrl) throw new InvalidCredentials("the issuer's discovery document has no jwks_uri");
      }
      remote = createRemoteJWKSet(new URL(jwksUrl));
    }
    return remote(header, token);
  };
  return { issuer, audience, keys, ...(o.rolesClaim && { rolesClaim: o.rolesClaim }), ...(o.tenantClaim && { tenantClaim: o.tenantClaim }) };
}

/** Verifies bearer tokens (JWS-signed JWTs) against the issuers it trusts, with jose. */
export class TokenVerifier {
  constructor(private readonly issuers: readonly TrustedIssuer[]) {}

  /** Whether any issuer is trusted (else only API keys authenticate). */
  get enabled(): boolean {
    return this.issuers.length > 0;
  }

  /**
   * The principal a token names: signature, `iss`, `aud`, `exp` and `nbf` checked.
   * @throws InvalidCredentials saying why (malformed, unknown issuer, bad signature, expired, wrong audience)
   */
  async principal(token: string): Promise<Principal> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new InvalidCredentials('the token is not a JWT');
    }
    const trusted = this.issuers.find((i) => i.issuer === iss);
    if (!trusted) throw new InvalidCredentials(`the token's issuer ${JSON.stringify(iss ?? null)} is not trusted`);
    try {
      const { payload } = await jwtVerify(token, trusted.keys, { issuer: trusted.issuer, audience: trusted.audience, clockTolerance: 5 });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidCredentials('the token has no subject');
      const tenant = payload[trusted.tenantClaim ?? 'tenant'];
      return { subject: payload.sub, tenant: typeof tenant === 'string' && tenant !== '' ? tenant : DEFAULT_TENANT, roles: parseRoles(payload[trusted.rolesClaim ?? 'roles']), via: 'token' };
    } catch (error) {
      if (error instanceof InvalidCredentials) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidCredentials('the token has expired');
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) throw new InvalidCredentials('the token signature does not verify');
      if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidCredentials(`the token's ${error.claim} claim is not accepted`);
      if (error instanceof errors.JOSEError) throw new InvalidCredentials(`the token does not verify (${error.code})`);
      throw error;
    }
  }
}
