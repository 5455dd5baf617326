/**
 * Types for the two modules of `natural` imported by path. Its main entry also loads storage
 * back-ends that call `dotenv.config()` (reading `.env` from the working directory into
 * `process.env` and printing to stdout), which a step service must not do.
 */
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: {
    stem(token: string): string;
    /** Lower-cases, splits on non-word characters, drops English stop words (unless `keepStops`), stems. */
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  };
  export = PorterStemmer;
}

declare module 'natural/lib/natural/classifiers/bayes_classifier' {
  /** natural's Bayes classifier over binary word-presence features (apparatus underneath). */
  class BayesClassifier {
    constructor(stemmer?: unknown, smoothing?: number);
    /** Vocabulary, in the order of the feature vectors, with counts of occurrences in training documents. */
    features: Record<string, number>;
    docs: Array<{ label: string; text: string[] }>;
    classifier: {
      /** Per label, per feature index: 1 + smoothing + number of training documents with the feature. */
      classFeatures: Record<string, Record<string, number>>;
      /** Per label: 1 + number of training documents. */
      classTotals: Record<string, number>;
      /** 1 + number of training documents. */
      totalExamples: number;
      smoothing: number;
    };
    addDocument(text: string | string[], label: string): void;
    train(): void;
    classify(text: string | string[]): string;
    getClassifications(text: string | string[]): Array<{ label: string; value: number }>;
  }
  export = BayesClassifier;
}
