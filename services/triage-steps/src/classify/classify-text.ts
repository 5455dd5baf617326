/**
 * `text.classify`: spam or ham, with a calibrated confidence, from the committed naive Bayes model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StepContext } from '../context';
import { SpamBayesModel, type SpamBayesModelFile, type SpamLabel } from './bayes-model';
import { FEATURES_VERSION, messageFeatures } from './features';
import { MODEL_DIR, MODEL_FILE_NAME } from './model-files';

/** Input of `text.classify`. */
export interface ClassifyInput {
  readonly subject: string;
  readonly text: string;
  /** JSON text of extra parameters (contract field); accepted and ignored: there is one model. */
  readonly params?: string | null;
}

/** Output of `text.classify`. */
export interface ClassifyOutput {
  readonly label: SpamLabel;
  /** Calibrated probability of `label`, in [0.5, 1] (so in [0, 1]). */
  readonly confidence: number;
  /** `natural-bayes`. */
  readonly model: string;
  /** First 12 hex digits of the SHA-256 of the model file: changes whenever the model does. */
  readonly modelVersion: string;
}

/** The `model` this step reports. */
export const CLASSIFIER_MODEL_NAME = 'natural-bayes';

/** A model and the version it reports. */
export interface LoadedClassifier {
  readonly model: SpamBayesModel;
  readonly version: string;
}

let loaded: LoadedClassifier | undefined;

/** Reads and checks a model file; `path` defaults to the committed `model/spam-bayes.json`. */
export function loadClassifier(path: string = join(MODEL_DIR, MODEL_FILE_NAME)): LoadedClassifier {
  const bytes = readFileSync(path);
  const file = JSON.parse(bytes.toString('utf8')) as SpamBayesModelFile;
  if (file.features !== FEATURES_VERSION) {
    throw new Error(`the spam model at ${path} was trained with features "${file.features}", this code extracts "${FEATURES_VERSION}": retrain it`);
  }
  return { model: new SpamBayesModel(file), version: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

/** The committed model, read on first use and kept. */
export function defaultClassifier(): LoadedClassifier {
  loaded ??= loadClassifier();
  return loaded;
}

/**
 * Classifies a message's subject and text with `classifier` (default: the committed model, read on
 * first use); `params` and `ctx.params` (e.g. `{ model: 'fast' }`) are accepted and ignored: there
 * is one model.
 */
export async function classifyText(input: ClassifyInput, _ctx?: StepContext, classifier: LoadedClassifier = defaultClassifier()): Promise<ClassifyOutput> {
  const { model, version } = classifier;
  const score = model.score(messageFeatures(input.subject ?? '', input.text ?? ''));
  return { label: score.label, confidence: score.confidence, model: CLASSIFIER_MODEL_NAME, modelVersion: version };
}
