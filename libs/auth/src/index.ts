export { can, DEFAULT_TENANT, InvalidCredentials, parseRoles, type Principal } from './principal';
export { DEFAULT_AUDIENCE, DEV_ISSUER, DevIssuer, type DevTokenClaims } from './dev-issuer';
export { localIssuer, oidcIssuer, TokenVerifier, type TrustedIssuer } from './token-verifier';
export { ApiKeys, type ApiKeyInfo } from './api-keys';
export { AUTH_MIGRATIONS_TABLE, migrateAuth } from './migrations/migrate-auth';
