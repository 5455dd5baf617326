export { createMetricsRegistry, latencyBuckets, caseDurationBuckets } from './metrics-registry';
export { runReadiness, type ReadinessCheck, type ReadinessReport } from './health';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { log, type LogFields } from './log';
export { percentile, latencySummary } from './percentiles';
export { envInt, envBool, envHost } from './env';
export { startTelemetry, telemetryEnabled, telemetry, type Telemetry } from './telemetry';
export { scrapedGauge, type GaugeSample } from './scraped-gauge';
