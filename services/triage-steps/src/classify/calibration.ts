/**
 * Platt scaling: fits P(y = 1 | s) = sigmoid(a * s + b) to scores `s` with labels `y` by Newton's
 * method on the log-loss, with Platt's smoothed targets ((n+ + 1) / (n+ + 2) and 1 / (n- + 2))
 * so that separable data does not drive `a` to infinity.
 */
import { sigmoid } from './bayes-model';

/** The fitted parameters. */
export interface PlattParameters {
  readonly a: number;
  readonly b: number;
}

/** Fits {@link PlattParameters} to `scores` and their 0/1 `labels`. */
export function fitPlatt(scores: readonly number[], labels: readonly (0 | 1)[]): PlattParameters {
  if (scores.length !== labels.length || scores.length === 0) throw new Error('fitPlatt needs as many labels as scores, and at least one');
  const pos = labels.filter((y) => y === 1).length;
  const neg = labels.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = labels.map((y) => (y === 1 ? hi : lo));
  // Scale scores to unit spread so that Newton starts well-conditioned.
  const spread = Math.max(1e-9, Math.sqrt(scores.reduce((s, x) => s + x * x, 0) / scores.length));
  const x = scores.map((s) => s / spread);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const p = sigmoid(a * x[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      ga += d * x[i];
      gb += d;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { a: a / spread, b };
}
