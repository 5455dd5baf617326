import { Gauge, type Registry } from 'prom-client';
import { log } from './log';

/** One sample of a {@link scrapedGauge}: its label values and value. */
export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string | number>>;
  value: number;
}

/**
 * A gauge whose samples are read when Prometheus scrapes: `read()` returns every current sample
 * (a query, a broker call), and the previous ones are dropped first, so a label set that is gone
 * disappears. When `read()` fails, a labelled gauge reports no sample for that scrape and a gauge
 * without labels reports `NaN` (written `Nan`, which Prometheus parses; prom-client always writes one sample for such a gauge), and a warning is
 * logged, rather than failing the whole `/metrics`.
 * Found again when the registry already holds `name`.
 */
export function scrapedGauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: () => Promise<GaugeSample<L>[]>): Gauge<L> {
  const existing = registry.getSingleMetric(name) as Gauge<L> | undefined;
  if (existing) return existing;
  return new Gauge<L>({
    name, help, labelNames, registers: [registry],
    async collect() {
      this.reset();
      let samples: GaugeSample<L>[];
      try {
        samples = await read();
      } catch (error) {
        log('warn', 'metrics', `reading ${name} failed: ${(error as Error).message}`);
        if (labelNames.length === 0) this.set(Number.NaN);
        return;
      }
      for (const s of samples) {
        if (labelNames.length === 0) this.set(s.value);
        else this.set(s.labels as Partial<Record<L, string | number>>, s.value);
      }
    },
  });
}
