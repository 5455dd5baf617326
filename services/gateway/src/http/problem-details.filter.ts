import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { log } from '@baton/observability';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details';

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
    const { problem, internal } = toProblem(error, req.originalUrl.split('?')[0] ?? req.originalUrl);
    if (internal) log('error', 'gateway', `${req.method} ${req.originalUrl} failed: ${(error as Error)?.stack ?? String(error)}`);
    if (res.headersSent) return;
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
