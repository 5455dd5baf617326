/** Injection token of the Prometheus `Registry` holding the `baton_step_*` metrics. */
export const STEP_METRICS_REGISTRY = Symbol('baton:step-metrics-registry');
