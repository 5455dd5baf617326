/** The bodies of the development issuer's routes (`/dev-issuer/*`, docs/SECURITY.md). */
import { Type, type Static } from '@sinclair/typebox';
import { Int, Str, Text } from './fields';

/** `POST /dev-issuer/token`: who the token names. */
export const DevTokenRequest = Type.Object({
  subject: Text(200, { description: 'the sub claim, e.g. the developer or service name' }),
  tenant: Type.Optional(Text(200, { description: 'the tenant claim; default "default"' })),
  roles: Type.Array(Text(200), { maxItems: 50, description: 'admin, operator, viewer, starter:<workflow|*>, reviewer:<queue|*>' }),
  expiresInSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'lifetime in seconds, default 3600' })),
});
export type DevTokenRequest = Static<typeof DevTokenRequest>;

/** A token from the development issuer (RFC 6749 §5.1's member names). */
export const DevToken = Type.Object({
  access_token: Str(), token_type: Type.Literal('Bearer'), expires_in: Int(),
}, { additionalProperties: false });
