/**
 * Trains natural's `BayesClassifier` on labelled feature lists and exports it as a
 * {@link SpamBayesModelFile}. The vocabulary is chosen first (natural's feature vectors are dense
 * over every word it has seen, and its `textToFeatures` is O(vocabulary x document)): features
 * present in at least `minDocs` training messages, the `maxFeatures` of them with the highest
 * mutual information with the label.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import { NO_FEATURE, type SpamBayesModelFile, type SpamLabel } from './bayes-model';
import { FEATURES_VERSION } from './features';

/** One training message: its distinct features and its label. */
export interface LabelledFeatures {
  readonly features: readonly string[];
  readonly label: SpamLabel;
}

/** Knobs of {@link trainBayes}. */
export interface TrainOptions {
  readonly maxFeatures: number;
  readonly minDocs: number;
  /** apparatus' Laplace smoothing (its default is 1). */
  readonly smoothing: number;
}

/** The default knobs; `train.ts` picks `maxFeatures` by cross-validation on the training split. */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { maxFeatures: 3000, minDocs: 3, smoothing: 1 };

/** The features of `docs` worth keeping, best first. */
export function selectVocabulary(docs: readonly LabelledFeatures[], options: TrainOptions): string[] {
  const df = new Map<string, [number, number]>();
  let nSpam = 0;
  for (const d of docs) {
    const spam = d.label === 'spam' ? 1 : 0;
    nSpam += spam;
    for (const f of new Set(d.features)) {
      const c = df.get(f) ?? [0, 0];
      c[spam] += 1;
      df.set(f, c);
    }
  }
  const n = docs.length;
  const nHam = n - nSpam;
  const scored: Array<[string, number]> = [];
  for (const [f, [ham, spam]] of df) {
    if (ham + spam < options.minDocs) continue;
    scored.push([f, mutualInformation(n, nSpam, nHam, spam, ham)]);
  }
  scored.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return scored.slice(0, options.maxFeatures).map(([f]) => f);
}

/** Mutual information between "feature present" and "is spam", from document counts. */
function mutualInformation(n: number, nSpam: number, nHam: number, spamWith: number, hamWith: number): number {
  const cells: Array<[number, number, number]> = [
    [spamWith, spamWith + hamWith, nSpam],
    [hamWith, spamWith + hamWith, nHam],
    [nSpam - spamWith, n - spamWith - hamWith, nSpam],
    [nHam - hamWith, n - spamWith - hamWith, nHam],
  ];
  let mi = 0;
  for (const [joint, featureMargin, labelMargin] of cells) {
    if (joint > 0) mi += (joint / n) * Math.log((joint * n) / (featureMargin * labelMargin));
  }
  return mi;
}

/** Trains natural's classifier on `docs` restricted to the selected vocabulary; calibration is left at a = 1, b = 0. */
export function trainBayes(docs: readonly LabelledFeatures[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): SpamBayesModelFile {
  const keep = new Set(selectVocabulary(docs, options));
  const classifier = new BayesClassifier(undefined, options.smoothing);
  for (const d of docs) {
    const tokens = d.features.filter((f) => keep.has(f));
    // natural ignores a document without tokens; the marker keeps every message in the class totals.
    classifier.addDocument(tokens.length > 0 ? tokens : [NO_FEATURE], d.label);
  }
  classifier.train();
  const { classFeatures, classTotals, totalExamples, smoothing } = classifier.classifier;
  const vocabulary = Object.keys(classifier.features);
  const dense = (label: SpamLabel): number[] => vocabulary.map((_, i) => classFeatures[label]?.[i] ?? 0);
  return {
    format: 'baton-spam-bayes/1',
    trainer: 'natural.BayesClassifier (apparatus), binary presence features',
    features: FEATURES_VERSION,
    smoothing,
    totalExamples,
    classTotals: { spam: classTotals.spam ?? 1, ham: classTotals.ham ?? 1 },
    vocabulary,
    counts: { spam: dense('spam'), ham: dense('ham') },
    calibration: { a: 1, b: 0 },
  };
}
