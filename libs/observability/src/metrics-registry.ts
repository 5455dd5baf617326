import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Prometheus registry for one service, with Node's default process metrics under the
 * `baton_process_` prefix and a `service` label on every series.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'baton_process_' });
  return registry;
}

/** Latency buckets in seconds for step hops and appends: 1 ms to 60 s. */
export const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Duration buckets in seconds for whole cases: 10 ms to 4 h. */
export const caseDurationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];
