import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@baton/auth';
import type { AuthenticatedRequest } from './auth.guard';

/** The caller the guard authenticated (a route with a requirement other than `public` always has one). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('no principal on this request: the route is public');
  return principal;
});
