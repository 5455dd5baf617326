import type { IHeaders } from 'kafkajs';

/** Header names this project writes on every message. Values are UTF-8 strings. */
export const Headers = {
  /** Unique id of the message; the inbox deduplicates on it. */
  messageId: 'baton-message-id',
  /** The case the message belongs to (also the key). */
  caseId: 'baton-case-id',
  /** W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/). */
  traceparent: 'traceparent',
  /** W3C Trace Context `tracestate`. */
  tracestate: 'tracestate',
} as const;

/** Headers added to a dead-lettered message, beside the original ones. */
export const DeadLetterHeaders = {
  originalTopic: 'baton-dlt-original-topic',
  originalPartition: 'baton-dlt-original-partition',
  originalOffset: 'baton-dlt-original-offset',
  consumerGroup: 'baton-dlt-consumer-group',
  errorName: 'baton-dlt-error-name',
  errorMessage: 'baton-dlt-error-message',
  failedAt: 'baton-dlt-failed-at',
} as const;

/** kafkajs headers (Buffer, string or arrays of them) as a plain record of strings; repeated headers keep the last value. */
export function headersToRecord(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return out;
}
