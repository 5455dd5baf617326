import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@baton/auth';
import type { Request } from 'express';
import { Forbidden } from '../errors/auth-problems';
import { ACCESS_REQUIREMENT, allows, type AccessRequirement } from './access';
import { Authenticator } from './authenticator';

/** Paths served without a credential: probes and the scrape (the observability module's routes). */
const OPEN_PATHS = /^\/(metrics|health\/(live|ready))\/?$/;

/** A request the guard let through carries its principal. */
export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * The one gate of every route: reads the route's {@link Requires} requirement, authenticates the
 * caller (401) and checks its roles (403). A route that declares nothing is refused, so a route
 * added without a requirement is closed, never open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector, @Inject(Authenticator) private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const requirement = this.reflector.get<AccessRequirement | undefined>(ACCESS_REQUIREMENT, context.getHandler());
    if (requirement === 'public') return true;
    if (requirement === undefined && OPEN_PATHS.test(req.path)) return true;
    const principal = await this.authenticator.authenticate({ authorization: req.header('authorization'), apiKey: req.header('x-api-key') });
    req.principal = principal;
    if (requirement === undefined) throw new Forbidden(`${req.method} ${req.path} declares no access requirement, so nobody may call it`);
    const workflow = requirement === 'start' ? bodyWorkflow(req.body) : undefined;
    if (!allows(principal, requirement, workflow)) {
      throw new Forbidden(requirement === 'start' && workflow !== undefined
        ? `${principal.subject} may not start cases of workflow '${workflow}' (needs starter:${workflow})`
        : `${principal.subject} may not ${req.method} ${req.path} (needs ${requirement}; has ${principal.roles.join(', ') || 'no roles'})`);
    }
    return true;
  }
}

function bodyWorkflow(body: unknown): string | undefined {
  const w = (body as { workflow?: unknown } | null | undefined)?.workflow;
  return typeof w === 'string' ? w : undefined;
}
