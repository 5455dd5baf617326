import { latencySummary } from '@baton/observability';

/** One case's outcome as the main job saw it. */
export interface CaseOutcome {
  caseId: string;
  label: 'spam' | 'ham';
  door: 'kafka' | 'http';
  status: string;
  /** What the workflow did with the email: `spam` = quarantined, `ham` = replied, `none` = neither (failed). */
  routed: 'spam' | 'ham' | 'none';
  reviewed: boolean;
  /** From the trigger's send to the case's end as recorded, ms; `null` for a case that never ended. */
  latencyMs: number | null;
}

/** The figures the main job prints. */
export interface Summary {
  cases: number;
  completed: number;
  failed: number;
  /** Cases that never ended (still running when the job stopped waiting): kept out of the latency percentiles. */
  notEnded: number;
  other: number;
  byDoor: Record<string, number>;
  /** confusion[actual][routed] */
  confusion: Record<'spam' | 'ham', Record<'spam' | 'ham' | 'none', number>>;
  accuracy: number;
  reviewRate: number;
  latencyMs: { p50: number; p95: number; p99: number; count: number };
  casesPerSecond: number;
  wallSeconds: number;
}

/** Summarises the outcomes of a run that took `wallMs` from the first send to the last case's end. */
export function summarize(outcomes: readonly CaseOutcome[], wallMs: number): Summary {
  const confusion = { spam: { spam: 0, ham: 0, none: 0 }, ham: { spam: 0, ham: 0, none: 0 } };
  const byDoor: Record<string, number> = {};
  for (const o of outcomes) {
    confusion[o.label][o.routed]++;
    byDoor[o.door] = (byDoor[o.door] ?? 0) + 1;
  }
  const completed = outcomes.filter((o) => o.status === 'completed').length;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const ended = outcomes.flatMap((o) => (o.latencyMs === null ? [] : [o.latencyMs]));
  const notEnded = outcomes.length - ended.length;
  return {
    cases: outcomes.length, completed, failed, notEnded, other: outcomes.length - completed - failed - notEnded, byDoor, confusion,
    accuracy: outcomes.length ? (confusion.spam.spam + confusion.ham.ham) / outcomes.length : 0,
    reviewRate: outcomes.length ? outcomes.filter((o) => o.reviewed).length / outcomes.length : 0,
    latencyMs: latencySummary(ended),
    casesPerSecond: wallMs > 0 ? outcomes.length / (wallMs / 1000) : 0,
    wallSeconds: wallMs / 1000,
  };
}

/** The summary as the terminal shows it. */
export function formatSummary(s: Summary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (label: string, r: Record<string, number>) => `  ${label.padEnd(12)} ${String(r.spam).padStart(10)} ${String(r.ham).padStart(10)} ${String(r.none).padStart(8)}`;
  return [
    `cases: ${s.cases} (${Object.entries(s.byDoor).map(([d, n]) => `${n} via ${d}`).join(', ')})`,
    `  completed ${s.completed}, failed ${s.failed}${s.other ? `, cancelled or other ${s.other}` : ''}${s.notEnded ? `, NOT ENDED ${s.notEnded}` : ''}`,
    'routing against the corpus labels (rows: corpus label; columns: what the workflow did)',
    `  ${''.padEnd(12)} ${'quarantined'.padStart(10)} ${'replied'.padStart(10)} ${'neither'.padStart(8)}`,
    row('spam', s.confusion.spam),
    row('ham', s.confusion.ham),
    `  routed as labelled: ${pct(s.accuracy)}`,
    `review rate: ${pct(s.reviewRate)} of cases went to a person`,
    `case latency (trigger sent -> case ended${s.notEnded ? `, the ${s.latencyMs.count} that ended` : ''}): p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms`,
    `throughput: ${s.casesPerSecond.toFixed(1)} cases/s (${s.cases} cases in ${s.wallSeconds.toFixed(1)} s)`,
  ].join('\n');
}
