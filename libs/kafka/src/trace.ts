import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

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
