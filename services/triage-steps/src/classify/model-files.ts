/**
 * Where the trained spam model lives: `services/triage-steps/model/`, committed with the code.
 */
import { join } from 'node:path';

/** The folder of the model files (absolute, from this file's location). */
export const MODEL_DIR = join(__dirname, '..', '..', 'model');
/** The model itself ({@link SpamBayesModelFile} as JSON). */
export const MODEL_FILE_NAME = 'spam-bayes.json';
/** Split, counts, selection, calibration and held-out measurements of the model. */
export const MODEL_META_FILE_NAME = 'spam-bayes.meta.json';
