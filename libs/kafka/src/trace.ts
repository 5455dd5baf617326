import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

const tracer = trace.getTracer('@baton/kafka');

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => { carrier[key] = value; },
};

/** Reads trace headers from a string record (kafkajs header values were turned into strings by `headersToRecord`). */
const getter: TextMapGetter<Record<string, string>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Writes the active (or given) context's W3C `traceparent`/`tracestate` into `headers`. A no-op when no propagator is registered. */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers, setter);
  return headers;
}

/** The context carried by a message's trace headers, to run its handler in. */
export function extractTraceContext(headers: Record<string, string>): Context {
  return propagation.extract(context.active(), headers, getter);
}

/**
 * Starts the `send <topic>` PRODUCER span of one message (OpenTelemetry messaging semantic
 * conventions: `messaging.system=kafka`, `messaging.destination.name`,
 * `messaging.kafka.message.key`). Its parent is the context in the message's own trace headers
 * when it carries one (an outbox row stores the context of the handling that wrote it, so a case
 * stays one trace across the database), else the active context. The span's context is written
 * into the returned copy of `headers`; the caller ends the span when the broker answered.
 */
export function startSendSpan(topic: string, key: string | null, headers: Record<string, string>): { span: Span; headers: Record<string, string> } {
  const parent = headers.traceparent ? extractTraceContext(headers) : context.active();
  const span = tracer.startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation': 'publish',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      ...(key !== null ? { 'messaging.kafka.message.key': key } : {}),
    },
  }, parent);
  return { span, headers: injectTraceHeaders({ ...headers }, trace.setSpan(parent, span)) };
}

/** Ends `spans` once `sent` settles: OK, or ERROR with the exception recorded. Returns `sent`. */
export function endWhenSent<R>(spans: readonly Span[], sent: Promise<R>): Promise<R> {
  return sent.then((value) => {
    for (const s of spans) s.end();
    return value;
  }, (error: unknown) => {
    for (const s of spans) {
      s.recordException(error instanceof Error ? error : new Error(String(error)));
      s.setStatus({ code: SpanStatusCode.ERROR });
      s.end();
    }
    throw error;
  });
}
