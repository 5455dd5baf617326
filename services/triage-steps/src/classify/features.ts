/**
 * The features the spam model sees in a message: the Porter stems of its words (natural's
 * `PorterStemmer.tokenizeAndStem`: lower-cased, split on non-word characters, English stop words
 * dropped), the stems of the subject again with an `s:` prefix, and a few shape markers that the
 * word tokenizer throws away (`#money`, `#shout`, `#bang`, `#url`, `#empty`). Each feature counts
 * once per message: natural's Bayes classifier models presence, not frequency.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

/** Names the feature extraction below; stored in the model so a changed extraction is noticed. */
export const FEATURES_VERSION = 'porter-subject-shape-v1';

/** Only this much of the body is read: bodies from `email.parse` are at most 20 000 characters anyway. */
const MAX_BODY_CHARS = 20_000;
/** Stems longer than this are base64, hashes or glued URLs: noise. */
const MAX_TOKEN_CHARS = 24;

/** The distinct features of a message, in first-seen order. */
export function messageFeatures(subject: string, text: string): string[] {
  const body = text.slice(0, MAX_BODY_CHARS);
  const out = new Set<string>();
  for (const t of stems(subject)) out.add(`s:${t}`);
  for (const t of stems(subject)) out.add(t);
  for (const t of stems(body)) out.add(t);
  if (/[$£€]\s?\d/.test(subject + body)) out.add('#money');
  if (/!!/.test(subject + body)) out.add('#bang');
  if (/https?:\/\//i.test(body)) out.add('#url');
  if (body.trim().length < 20) out.add('#empty');
  const letters = (subject.match(/[a-z]/gi) ?? []).length;
  if (letters >= 8 && (subject.match(/[A-Z]/g) ?? []).length / letters > 0.6) out.add('#shout');
  return [...out];
}

/** A stem worth keeping: letters first, then letters or digits. */
const WORD = /^[a-z][a-z0-9]*$/;
/** Numbers up to four digits (prices, years); longer ones are ids. */
const NUMBER = /^\d{1,4}$/;

function stems(text: string): string[] {
  if (!text) return [];
  return PorterStemmer.tokenizeAndStem(text).filter((t) => (t.length > 1 && t.length <= MAX_TOKEN_CHARS && WORD.test(t)) || NUMBER.test(t));
}
