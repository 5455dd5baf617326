import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP receiver got it, flattened: ids in lowercase hex, attributes as plain values. */
export interface ReceivedSpan {
  /** `service.name` of the resource that sent it. */
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP `SpanKind`: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** Span start, epoch ns as a decimal string. */
  startTimeUnixNano: string;
}

interface AnyValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
interface KeyValue { key: string; value: AnyValue }

/**
 * An OTLP/HTTP trace receiver in the test's process
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp): accepts `POST /v1/traces` in the JSON
 * encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, ids as hex strings), gzip or not, answers
 * `200 {}`, and keeps every span. A protobuf request is refused with 415 so a misconfigured
 * exporter fails loudly.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server: Server | null = null;

  /** Listens on 127.0.0.1 on a free port; resolves with the endpoint to put in `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') { res.writeHead(404).end(); return; }
        if (!String(req.headers['content-type'] ?? '').includes('json')) { res.writeHead(415).end(); return; }
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        try {
          this.take(JSON.parse(body.toString('utf8')));
        } catch {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the OTLP receiver has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private take(request: { resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] }): void {
    for (const rs of request.resourceSpans ?? []) {
      const service = String(plain(rs.resource?.attributes ?? [])['service.name'] ?? '');
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            service,
            traceId: String(s.traceId ?? '').toLowerCase(),
            spanId: String(s.spanId ?? '').toLowerCase(),
            parentSpanId: String(s.parentSpanId ?? '').toLowerCase(),
            name: String(s.name ?? ''),
            kind: Number(s.kind ?? 0),
            attributes: plain((s.attributes ?? []) as KeyValue[]),
            startTimeUnixNano: String(s.startTimeUnixNano ?? '0'),
          });
        }
      }
    }
  }
}

function plain(attributes: KeyValue[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}
