/**
 * The spam model as a Nest provider: read and checked once when the app starts (a missing or
 * stale model file fails the start, not the first request), then shared by every attempt.
 */
import type { FactoryProvider } from '@nestjs/common';
import { loadClassifier, type LoadedClassifier } from '../classify/classify-text';

/** Injection token of the {@link LoadedClassifier} the `text.classify` handler uses. */
export const SPAM_CLASSIFIER = Symbol('SPAM_CLASSIFIER');

/**
 * The provider of {@link SPAM_CLASSIFIER}.
 * @param modelPath - a model file; default the committed `model/spam-bayes.json`
 */
export function spamClassifierProvider(modelPath?: string): FactoryProvider<LoadedClassifier> {
  return { provide: SPAM_CLASSIFIER, useFactory: () => (modelPath === undefined ? loadClassifier() : loadClassifier(modelPath)) };
}
