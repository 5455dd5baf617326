import { Gauge, Histogram, type Registry } from 'prom-client';

/** Buckets of the admission wait, seconds: from 10 ms to 30 minutes. */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/** The admission edge's metrics (docs/OBSERVABILITY.md). */
export class AdmissionMetrics {
  /** `baton_step_queue_wait_seconds{step_type}`: how long a held request waited until admitted. */
  readonly queueWait: Histogram<'step_type'>;
  /** `baton_circuit_state{step_type}`: 0 closed, 1 half-open, 2 open. */
  readonly circuitState: Gauge<'step_type'>;
  /** `baton_step_admission_waiting{step_type}`: requests waiting for admission at the last look. */
  readonly waiting: Gauge<'step_type'>;

  constructor(registry: Registry) {
    const r = [registry];
    this.queueWait = new Histogram({ name: 'baton_step_queue_wait_seconds', help: 'Time a step request of a limited step type waited for admission (concurrency, rate, circuit breaker), seconds.', labelNames: ['step_type'], buckets: WAIT_BUCKETS, registers: r });
    this.circuitState = new Gauge({ name: 'baton_circuit_state', help: 'Circuit breaker state per step type: 0 closed, 1 half-open, 2 open.', labelNames: ['step_type'], registers: r });
    this.waiting = new Gauge({ name: 'baton_step_admission_waiting', help: 'Step requests waiting for admission, by step type.', labelNames: ['step_type'], registers: r });
  }
}
