import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { latencyBuckets } from '@baton/observability';

/**
 * Express middleware that counts every request and times it, by route pattern (`/cases/:id`,
 * never the raw path, so the label set stays small), method and status. A request no route
 * matched is labelled `unmatched`.
 */
export function httpMetrics(registry: Registry): (req: Request, res: Response, next: NextFunction) => void {
  const requests = new Counter({
    name: 'baton_http_requests_total', help: 'HTTP requests handled, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'], registers: [registry],
  });
  const duration = new Histogram({
    name: 'baton_http_request_duration_seconds', help: 'HTTP request duration (request received to response finished), seconds',
    labelNames: ['route', 'method', 'status'], buckets: latencyBuckets, registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const labels = { route: typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'unmatched', method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
