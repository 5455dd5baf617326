/**
 * The chat prompt for a reply draft, shared by both drafters (the template drafter counts its
 * words as its input tokens, so both report comparable numbers).
 */
import { type DraftInput } from './draft-types';

/** The message body is cut to this many characters in the prompt. */
export const MAX_PROMPT_BODY_CHARS = 4_000;

/** One chat message. */
export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

/** The system instruction. */
export const SYSTEM_PROMPT =
  'You draft short, polite email replies for a support inbox. Answer in plain text, at most 120 words, ' +
  'no subject line. Acknowledge what the sender asked, mention the dates and amounts they named, and ' +
  'never promise anything the message does not ask for.';

/** The two chat messages for `input`. */
export function draftPrompt(input: DraftInput): ChatMessage[] {
  const e = input.entities;
  const facts = [
    e.people.length ? `People: ${e.people.join(', ')}` : '',
    e.organizations.length ? `Organizations: ${e.organizations.join(', ')}` : '',
    e.dates.length ? `Dates: ${e.dates.join(', ')}` : '',
    e.money.length ? `Amounts: ${e.money.join(', ')}` : '',
    `Tone of the sender: ${input.sentiment.label} (score ${input.sentiment.score})`,
  ].filter(Boolean);
  const user = [
    `From: ${input.from}`,
    `Subject: ${input.subject}`,
    ...facts,
    '',
    input.text.slice(0, MAX_PROMPT_BODY_CHARS),
    '',
    'Draft the reply.',
  ].join('\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

/** Whitespace-separated words: the template drafter's stand-in for tokens. */
export function countWords(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}
