import { InvalidCredentials, type ApiKeys, type Principal, type TokenVerifier } from '@baton/auth';
import { Unauthenticated } from '../errors/auth-problems';

/** The credential headers of a request. */
export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

/**
 * Turns a request's credential into a principal: `Authorization: Bearer <JWT>` through the
 * token verifier, `X-API-Key: <key>` (or `Authorization: ApiKey <key>`) through the key table.
 */
export class Authenticator {
  constructor(private readonly tokens: TokenVerifier, private readonly keys: ApiKeys) {}

  /** @throws Unauthenticated when no credential is presented, or the one presented does not verify */
  async authenticate(c: Credentials): Promise<Principal> {
    const [scheme, value] = splitAuthorization(c.authorization);
    try {
      if (scheme === 'bearer' && value) return await this.tokens.principal(value);
      if (scheme === 'apikey' && value) return await this.keys.principal(value);
      if (c.apiKey) return await this.keys.principal(c.apiKey.trim());
    } catch (error) {
      if (error instanceof InvalidCredentials) throw new Unauthenticated(error.message, true);
      throw error;
    }
    if (scheme) throw new Unauthenticated(`the Authorization scheme '${scheme}' is not accepted; use Bearer <token> or X-API-Key`, true);
    throw new Unauthenticated('this route needs a bearer token (Authorization: Bearer <JWT>) or an API key (X-API-Key)', false);
  }
}

function splitAuthorization(h: string | undefined): [string | undefined, string | undefined] {
  if (!h) return [undefined, undefined];
  const space = h.indexOf(' ');
  return space < 0 ? [h.toLowerCase(), undefined] : [h.slice(0, space).toLowerCase(), h.slice(space + 1).trim()];
}
