/**
 * The spam model as stored in `model/spam-bayes.json`, and how it scores a message.
 *
 * The model is natural's `BayesClassifier` after training, exported to a compact, explicit form:
 * the vocabulary in feature order, apparatus' per-label feature counts and totals, its smoothing,
 * and a Platt calibration fitted at training time. Scoring reproduces apparatus'
 * `probabilityOfClass` exactly, but stays in log space: natural returns
 * `P(label) * exp(sum of log P(feature | label))`, which underflows to 0 for both labels on any
 * message of more than a few hundred words, and which is an unnormalised joint likelihood anyway.
 * Here the two log-likelihoods are turned into the log-odds of spam, and the calibration maps
 * the log-odds to a probability (naive Bayes log-odds are in the hundreds, so the plain posterior
 * would be 0 or 1 for nearly every message).
 */

/** Spam or not. */
export type SpamLabel = 'spam' | 'ham';

/** The stored model (JSON). */
export interface SpamBayesModelFile {
  readonly format: 'baton-spam-bayes/1';
  /** What trained it. */
  readonly trainer: string;
  /** The feature extraction it was trained with (see `features.ts`). */
  readonly features: string;
  /** apparatus' Laplace smoothing. */
  readonly smoothing: number;
  /** apparatus' `totalExamples` (1 + training documents). */
  readonly totalExamples: number;
  /** apparatus' `classTotals` per label (1 + training documents of the label). */
  readonly classTotals: Readonly<Record<SpamLabel, number>>;
  /** The features, in the order of natural's feature vectors. */
  readonly vocabulary: readonly string[];
  /** apparatus' `classFeatures` per label as a dense array over the vocabulary; 0 stands for "absent". */
  readonly counts: Readonly<Record<SpamLabel, readonly number[]>>;
  /** P(spam) = 1 / (1 + exp(-(a * logOdds + b))). */
  readonly calibration: { readonly a: number; readonly b: number };
}

/** The feature a message without any feature of the vocabulary is trained and scored with. */
export const NO_FEATURE = '#nofeature';

/** How a message scored. */
export interface SpamScore {
  readonly label: SpamLabel;
  /** Calibrated probability of `label`, in [0.5, 1]. */
  readonly confidence: number;
  /** Calibrated P(spam). */
  readonly pSpam: number;
  /** Uncalibrated naive Bayes log P(spam | x) - log P(ham | x). */
  readonly logOdds: number;
}

/** A loaded model, ready to score feature lists. */
export class SpamBayesModel {
  private readonly index: Map<string, number>;

  constructor(readonly file: SpamBayesModelFile) {
    if (file.format !== 'baton-spam-bayes/1') throw new Error(`unknown spam model format "${String(file.format)}"`);
    this.index = new Map(file.vocabulary.map((f, i) => [f, i]));
  }

  /** Naive Bayes log-odds of spam for a message with these (distinct) features. */
  logOdds(features: readonly string[]): number {
    return this.logJoint(features, 'spam') - this.logJoint(features, 'ham');
  }

  /** The label, its calibrated probability and the raw log-odds. */
  score(features: readonly string[]): SpamScore {
    const logOdds = this.logOdds(features);
    const { a, b } = this.file.calibration;
    const pSpam = sigmoid(a * logOdds + b);
    const label: SpamLabel = pSpam >= 0.5 ? 'spam' : 'ham';
    return { label, confidence: label === 'spam' ? pSpam : 1 - pSpam, pSpam, logOdds };
  }

  /** log P(label) + sum over present features of log P(feature | label), as apparatus computes them. */
  private logJoint(features: readonly string[], label: SpamLabel): number {
    const { smoothing, totalExamples, classTotals, counts } = this.file;
    const total = classTotals[label];
    const row = counts[label];
    let sum = Math.log(total / totalExamples);
    const seen = new Set<number>();
    for (const f of features) {
      const i = this.index.get(f);
      if (i === undefined || seen.has(i)) continue;
      seen.add(i);
      sum += Math.log((row[i] || smoothing) / total);
    }
    // Training gives a message without any known feature the marker feature NO_FEATURE.
    const none = seen.size === 0 ? this.index.get(NO_FEATURE) : undefined;
    if (none !== undefined) sum += Math.log((row[none] || smoothing) / total);
    return sum;
  }
}

/** The logistic function, without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
