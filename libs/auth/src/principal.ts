/**
 * Who is calling: the subject of a verified bearer token, or an API key. `roles` are the
 * strings of docs/SECURITY.md: `admin`, `operator`, `viewer`, `starter:<workflow>` (or
 * `starter:*`), `reviewer:<queue>` (or `reviewer:*`).
 */
export interface Principal {
  /** The token's `sub`, or `api-key:<keyId>` for a key. */
  subject: string;
  /** The namespace the principal acts in: every case, task and workflow it sees belongs to it. */
  tenant: string;
  roles: readonly string[];
  /** How it proved who it is. */
  via: 'token' | 'api-key';
}

/** The tenant of a token without a tenant claim. */
export const DEFAULT_TENANT = 'default';

/** A credential that was presented and is not good: a bad signature, expired, revoked, unknown. */
export class InvalidCredentials extends Error {
  override readonly name = 'InvalidCredentials';
}

/** The roles of a claim: an array of strings, or one space- or comma-separated string; anything else is none. */
export function parseRoles(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((r): r is string => typeof r === 'string' && r.length > 0);
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}

const has = (p: Principal, role: string) => p.roles.includes(role);
const scoped = (p: Principal, kind: 'starter' | 'reviewer', name: string | undefined) =>
  has(p, `${kind}:*`) || (name !== undefined && has(p, `${kind}:${name}`));

/** The checks every route's requirement is made of (docs/SECURITY.md, "Roles"). */
export const can = {
  /** Reads of cases, events, traces, workflows and contracts: `viewer`, `operator` or `admin`. */
  read: (p: Principal) => has(p, 'viewer') || has(p, 'operator') || has(p, 'admin'),
  /** Retry, cancel, repair, pause, replay, the stuck-case list: `operator`. */
  operate: (p: Principal) => has(p, 'operator'),
  /** Register workflows and contracts, schedules, limits: `admin`. */
  administer: (p: Principal) => has(p, 'admin'),
  /** Start a case of `workflow`: `starter:<workflow>` or `starter:*`; with no workflow, whether any starter role is held. */
  start: (p: Principal, workflow?: string) => workflow === undefined ? p.roles.some((r) => r.startsWith('starter:')) : scoped(p, 'starter', workflow),
  /** Review tasks of `queue`: `reviewer:<queue>` or `reviewer:*`; with no queue, whether any reviewer role is held. */
  review: (p: Principal, queue?: string) => queue === undefined ? p.roles.some((r) => r.startsWith('reviewer:')) : scoped(p, 'reviewer', queue),
  /** The queues `p` reviews, `'*'` for all of them. */
  reviewQueues: (p: Principal): '*' | string[] => has(p, 'reviewer:*') ? '*' : p.roles.filter((r) => r.startsWith('reviewer:')).map((r) => r.slice('reviewer:'.length)),
};
