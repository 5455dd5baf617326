/**
 * `@baton/claims`: the claim check. Payloads above a threshold are stored once, keyed by their
 * SHA-256, and messages carry a `baton.v1.ClaimReference` instead (contracts/README.md).
 */
export { ClaimCheck, type ClaimCheckOptions, type ClaimReference } from './claim-check';
export { ClaimNotFound, ClaimCorrupt, claimOf, sha256Hex, type Claim, type ClaimStore, type SqlQueryable } from './claim-store';
export { PostgresClaimStore } from './postgres-claim-store';
export { FileClaimStore } from './file-claim-store';
export { claimStoreFrom } from './claim-store-from';
