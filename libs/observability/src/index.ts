export { createMetricsRegistry, latencyBuckets, caseDurationBuckets } from './metrics-registry';
export { runReadiness, type ReadinessCheck, type ReadinessReport } from './health';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { createLogger, log, logLevelFromEnv, nestLogger, rootLogger, withLogFields, type LogFields, type LogLevel } from './log';
export { percentile, latencySummary } from './percentiles';
export { startTelemetry, telemetryEnabled, telemetry, type Telemetry } from './telemetry';
export { scrapedGauge, type GaugeSample } from './scraped-gauge';
export { retryWithBackoff, RetriesExhaustedError, type BackoffPolicy, type RetryAttempt, type RetryHooks } from './retry';
export { COMMON_ENV, KAFKA_AUTH_ENV, ConfigError, expectation, readEnv, type EnvSchema, type EnvValues, type EnvVar } from './config';
