import { Catch, MethodNotAllowedException, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { log } from '@baton/observability';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details';
import { allowedMethods } from './request-rules';
import type { WithResponseHeaders } from '../errors/auth-problems';

/**
 * The one place errors become HTTP responses: every error a route throws (domain errors, body
 * parsing, Nest's own) is written as `application/problem+json` by {@link toProblem}.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    let cause = error;
    // No route for this method: a 405 with Allow when the path has routes for other methods.
    if (error instanceof NotFoundException && /^Cannot [A-Z]+ /.test(error.message)) {
      const allow = allowedMethods(req);
      if (allow.length > 0 && !allow.includes(req.method)) {
        res.setHeader('Allow', allow.join(', '));
        cause = new MethodNotAllowedException(`${req.method} is not allowed on ${req.path}; allowed: ${allow.join(', ')}`);
      }
    }
    const { problem, internal } = toProblem(cause, req.originalUrl.split('?')[0] ?? req.originalUrl);
    if (internal) log('error', 'gateway', `${req.method} ${req.originalUrl} failed: ${(error as Error)?.stack ?? String(error)}`);
    if (res.headersSent) return;
    const headers = (cause as Partial<WithResponseHeaders> | null)?.responseHeaders;
    if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
