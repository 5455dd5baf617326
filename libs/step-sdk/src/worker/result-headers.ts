import type { Context } from '@opentelemetry/api';
import { Headers, injectTraceHeaders } from '@baton/kafka';

/**
 * Headers of a message an attempt sends: its id, the case id, and the trace context. The active
 * span's context is injected when an OpenTelemetry propagator is registered; otherwise the
 * request's own `traceparent`/`tracestate` are passed on, so a case stays one trace either way.
 * @internal
 */
export function resultHeaders(caseId: string, messageId: string, trace: Context, request: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { [Headers.messageId]: messageId, [Headers.caseId]: caseId };
  injectTraceHeaders(headers, trace);
  if (!headers[Headers.traceparent] && request[Headers.traceparent]) {
    headers[Headers.traceparent] = request[Headers.traceparent];
    if (request[Headers.tracestate]) headers[Headers.tracestate] = request[Headers.tracestate];
  }
  return headers;
}
