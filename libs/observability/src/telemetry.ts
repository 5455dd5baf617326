import { NodeSDK } from '@opentelemetry/sdk-node';

/** What {@link startTelemetry} started. */
export interface Telemetry {
  /** True when an exporter is configured and the SDK runs; false when telemetry is off. */
  readonly enabled: boolean;
  /** Exports what is buffered and stops the SDK; waits at most `timeoutMs` (default 5 000 ms). Never throws. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const OFF: Telemetry = { enabled: false, shutdown: async () => undefined };
let current: Telemetry | null = null;

/**
 * Whether the environment asks for traces: an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or an explicit `OTEL_TRACES_EXPORTER` other than `none`,
 * and `OTEL_SDK_DISABLED` not `true`. With none of them set telemetry is off: no SDK, no
 * propagator, the `@opentelemetry/api` no-op tracer (spans cost nothing).
 */
export function telemetryEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (exporters.includes('none')) return false;
  if (exporters.length > 0) return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts the OpenTelemetry Node SDK (`@opentelemetry/sdk-node` 0.223, the last line that runs on
 * Node 20) for this process, configured by the standard `OTEL_*` variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/):
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf` by default,
 * `http/json`, `grpc`), `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY` (ms),
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_PROPAGATORS` (W3C `traceparent` by default). Only traces are
 * exported by default: metrics stay on Prometheus (`/metrics`) and logs on stderr unless
 * `OTEL_METRICS_EXPORTER` or `OTEL_LOGS_EXPORTER` name an exporter. No auto-instrumentation is
 * loaded: Baton's own spans (`@baton/kafka` send/process, the step SDK's attempts) follow the
 * messaging semantic conventions.
 *
 * Idempotent: a second call returns the first one's handle. Off (a no-op handle) when
 * {@link telemetryEnabled} is false.
 * @param serviceName - `service.name` of the resource, unless `OTEL_SERVICE_NAME` is set
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  if (current) return current;
  if (!telemetryEnabled(env)) return (current = OFF);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    instrumentations: [],
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  let stopped: Promise<void> | null = null;
  current = {
    enabled: true,
    shutdown(timeoutMs = 5000) {
      stopped ??= Promise.race([
        sdk.shutdown().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
      return stopped;
    },
  };
  return current;
}

/** The handle {@link startTelemetry} returned in this process, or the off handle when it was not called. */
export function telemetry(): Telemetry {
  return current ?? OFF;
}
