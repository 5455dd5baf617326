import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PartitionLag } from '@baton/kafka';
import { latencyBuckets, scrapedGauge } from '@baton/observability';

/**
 * How a step request ended, the `outcome` label of `baton_step_requests_total`:
 * the handler returned a valid output (`completed`), threw a `NonRetryableError` (`failed`) or
 * anything else (`retryable_failed`); the request repeated an attempt this process ran or runs
 * (`duplicate`); its input did not decode (`invalid_input`); the output broke the contract
 * (`output_schema_violation`); the SDK gave up at the deadline (`timed_out`); it named a step
 * type this process does not serve and was dead-lettered (`dead_lettered`).
 */
export type StepOutcome =
  | 'completed' | 'failed' | 'retryable_failed' | 'duplicate' | 'invalid_input'
  | 'output_schema_violation' | 'timed_out' | 'dead_lettered';

/** Handler durations reach minutes for model calls: the shared latency buckets plus 2, 5 and 10 minutes. */
const durationBuckets = [...latencyBuckets, 120, 300, 600];

/** The `baton_step_*` series, on one registry (found again if the registry already holds them). @internal */
export class StepMetrics {
  readonly requests: Counter<'step_type' | 'outcome'>;
  readonly duration: Histogram<'step_type' | 'outcome'>;
  readonly inFlight: Gauge<'step_type'>;
  readonly tokens: Counter<'step_type' | 'model' | 'direction'>;
  readonly cost: Counter<'step_type' | 'model'>;
  /** Where `baton_consumer_lag` reads from: set by the worker that owns the consumer (absent until then). */
  lagSource: (() => Promise<PartitionLag[]>) | null = null;

  constructor(registry: Registry) {
    const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
    this.requests = existing('baton_step_requests_total') ?? new Counter({ name: 'baton_step_requests_total', help: 'Step requests by step type and outcome.', labelNames: ['step_type', 'outcome'], registers: [registry] });
    this.duration = existing('baton_step_handler_duration_seconds') ?? new Histogram({ name: 'baton_step_handler_duration_seconds', help: 'Time a step handler ran, seconds, by step type and outcome.', labelNames: ['step_type', 'outcome'], buckets: durationBuckets, registers: [registry] });
    this.inFlight = existing('baton_step_in_flight') ?? new Gauge({ name: 'baton_step_in_flight', help: 'Step handlers running now.', labelNames: ['step_type'], registers: [registry] });
    this.tokens = existing('baton_step_tokens_total') ?? new Counter({ name: 'baton_step_tokens_total', help: 'Model tokens reported by step handlers, by direction (input, output).', labelNames: ['step_type', 'model', 'direction'], registers: [registry] });
    scrapedGauge(registry, 'baton_consumer_lag', 'Messages not yet consumed (high watermark minus committed offset), by consumer group, topic and partition.', ['group', 'topic', 'partition'],
      async () => ((await this.lagSource?.()) ?? []).map((l) => ({ labels: { group: l.group, topic: l.topic, partition: l.partition }, value: l.lag })));
    this.cost = existing('baton_step_cost_usd_total') ?? new Counter({ name: 'baton_step_cost_usd_total', help: 'Model cost reported by step handlers, US dollars.', labelNames: ['step_type', 'model'], registers: [registry] });
  }

  outcome(stepType: string, outcome: StepOutcome): void {
    this.requests.inc({ step_type: stepType, outcome });
  }
}
