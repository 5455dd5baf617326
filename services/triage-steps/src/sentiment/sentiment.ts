/**
 * `text.sentiment`: the tone of a message from wink-nlp's lexicon-based sentiment (`its.sentiment`,
 * with the `wink-eng-lite-web-model` English model).
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { type StepContext } from '../context';

/** Input of `text.sentiment`. */
export interface SentimentInput {
  readonly text: string;
}

/** Output of `text.sentiment`. */
export interface Sentiment {
  /** wink-nlp's sentiment of the whole text, in [-1, 1]. */
  readonly score: number;
  /** The mean of wink-nlp's per-sentence sentiment over the sentences that carry any (0 when none does), in [-1, 1]. */
  readonly comparative: number;
  /** `positive` when score >= {@link POSITIVE_FROM}, `negative` when score <= {@link NEGATIVE_TO}, else `neutral`. */
  readonly label: 'positive' | 'neutral' | 'negative';
}

/**
 * Label thresholds on `score`. wink's document score is a normalised sum of lexicon hits: a
 * single clearly positive or negative word in a short sentence gives about ±0.3 to ±0.7, while
 * long neutral mails (mailing-list traffic) sit within ±0.05.
 */
export const POSITIVE_FROM = 0.1;
/** See {@link POSITIVE_FROM}. */
export const NEGATIVE_TO = -0.1;
/** Only this much of the text is read. */
export const MAX_SENTIMENT_TEXT_CHARS = 20_000;

let nlp: ReturnType<typeof winkNLP> | undefined;

/** The sentiment of `text`; quoted `>` lines (someone else's words) are left out. */
export function analyzeSentiment(text: string): Sentiment {
  nlp ??= winkNLP(model);
  const its = nlp.its;
  const own = text
    .slice(0, MAX_SENTIMENT_TEXT_CHARS)
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
  const doc = nlp.readDoc(own);
  const score = Number(doc.out(its.sentiment)) || 0;
  const perSentence = (doc.sentences().out(its.sentiment) as unknown as number[]).map(Number).filter((s) => s !== 0 && Number.isFinite(s));
  const comparative = perSentence.length === 0 ? 0 : perSentence.reduce((a, b) => a + b, 0) / perSentence.length;
  const label = score >= POSITIVE_FROM ? 'positive' : score <= NEGATIVE_TO ? 'negative' : 'neutral';
  return { score: round(score), comparative: round(comparative), label };
}

/** The `text.sentiment` handler. */
export async function textSentiment(input: SentimentInput, _ctx?: StepContext): Promise<Sentiment> {
  return analyzeSentiment(input.text ?? '');
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
