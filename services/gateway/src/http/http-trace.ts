import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const tracer = trace.getTracer('@baton/gateway');

/**
 * Express middleware that runs every request in a SERVER span (HTTP semantic conventions:
 * `http.request.method`, `url.path`, `http.route`, `http.response.status_code`), child of a W3C
 * `traceparent` the caller sent, and renamed `<METHOD> <route pattern>` when it finishes. The
 * request and response emitters are bound to the span's context, so the handler (after the body
 * parsers' stream callbacks) runs in it and the `send baton.triggers` span it causes is its
 * child: a case's trace starts at the HTTP request. A no-op tracer when telemetry is off.
 */
export function httpTrace(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), req.headers, {
    get: (h, key) => h[key],
    keys: (h) => Object.keys(h),
  });
  const span = tracer.startSpan(`${req.method}`, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': req.method, 'url.path': req.path },
  }, parent);
  const ctx = trace.setSpan(parent, span);
  context.bind(ctx, req);
  context.bind(ctx, res);
  res.once('finish', () => {
    const routePath = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof routePath === 'string') {
      span.setAttribute('http.route', `${req.baseUrl}${routePath}`);
      span.updateName(`${req.method} ${req.baseUrl}${routePath}`);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(ctx, next);
}
