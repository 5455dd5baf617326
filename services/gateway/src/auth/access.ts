import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { can, type Principal } from '@baton/auth';
import { ApiProblems } from '../http/api-problem.decorator';
import { Forbidden } from '../errors/auth-problems';

/** What a route asks of its caller (docs/SECURITY.md, "Roles"). */
export type AccessRequirement =
  | 'public' // no credential: the development issuer's token route
  | 'read' // viewer, operator or admin
  | 'operate' // operator
  | 'administer' // admin
  | 'start' // starter:<the body's workflow> (checked in the guard)
  | 'review' // any reviewer role here; the task's queue is checked where the task is loaded
  | 'review-or-read'; // a reader, or a reviewer (who sees the tasks of their queues only)

/** Metadata key under which {@link Requires} stores a route's requirement. */
export const ACCESS_REQUIREMENT = 'baton:access';

/** The OpenAPI security schemes (components.securitySchemes). */
export const SECURITY_SCHEMES = { bearer: 'bearer', apiKey: 'apiKey' } as const;

/**
 * Declares what a route requires, for the guard ({@link AuthGuard}) and the OpenAPI document
 * (`security` with both schemes, `x-baton-access`, the 401 and 403 problems). Every route has one:
 * a route without it is refused (403) and fails `access.unit.spec.ts`.
 */
export function Requires(requirement: AccessRequirement): MethodDecorator {
  const decorators = [SetMetadata(ACCESS_REQUIREMENT, requirement), ApiExtension('x-baton-access', requirement)];
  if (requirement !== 'public') {
    decorators.push(ApiSecurity(SECURITY_SCHEMES.bearer), ApiSecurity(SECURITY_SCHEMES.apiKey),
      ApiProblems({ 401: 'no credential, or a token or API key that does not verify (WWW-Authenticate says which)', 403: `the caller's roles do not allow this (${requirement})` }));
  }
  return applyDecorators(...decorators) as MethodDecorator;
}

/**
 * Whether `p` meets `requirement` as far as the request itself tells (the body's workflow for
 * `start`); a task's queue is checked by the task inbox.
 */
export function allows(p: Principal, requirement: Exclude<AccessRequirement, 'public'>, workflow?: string): boolean {
  switch (requirement) {
    case 'read': return can.read(p);
    case 'operate': return can.operate(p);
    case 'administer': return can.administer(p);
    case 'start': return can.start(p, workflow);
    case 'review': return can.review(p);
    case 'review-or-read': return can.read(p) || can.review(p);
  }
}

/**
 * Checks that `p` may act on a task of `queue`: review it (`reviewer:<queue>`), or, for reads,
 * also any reader.
 * @throws Forbidden naming the role needed
 */
export function assertTaskAccess(p: Principal, queue: string, action: 'read' | 'review'): void {
  if (can.review(p, queue) || (action === 'read' && can.read(p))) return;
  throw new Forbidden(`${p.subject} may not ${action === 'read' ? 'see' : 'decide'} tasks of queue '${queue}' (needs reviewer:${queue})`);
}

/** The queues a task list is limited to for `p`: none for a reader or `reviewer:*`, else the queues it reviews. */
export function visibleQueues(p: Principal): string[] | undefined {
  if (can.read(p)) return undefined;
  const queues = can.reviewQueues(p);
  return queues === '*' ? undefined : queues;
}
