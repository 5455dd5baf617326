/**
 * `email.parse`: an RFC 5322 message (as text) to the fields the rest of the triage needs.
 */
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { type StepContext } from '../context';
import { nonRetryable } from '../errors';
import { htmlToText } from './html-text';

/** Input of `email.parse`. */
export interface ParseEmailInput {
  /** The whole message, headers and body, as received (an mbox `From ` line first is accepted). */
  readonly raw: string;
}

/** Output of `email.parse`. */
export interface ParsedEmail {
  /** `''` when the message has no Subject header. */
  readonly subject: string;
  /** The From header as written (`"Name" <address>`), `''` when there is none. */
  readonly from: string;
  /** The addresses of the To header (groups flattened), in order, without display names. */
  readonly to: string[];
  /** The Date header in epoch milliseconds; null when absent or unreadable. */
  readonly date: number | null;
  /** The plain-text body (from the HTML part when there is no text part), at most {@link MAX_TEXT_CHARS} characters. */
  readonly text: string;
  /** The Message-ID header with its angle brackets, null when absent. */
  readonly messageId: string | null;
}

/** Bodies are cut to this many characters so that step messages stay small. */
export const MAX_TEXT_CHARS = 20_000;
/** Larger messages are refused as malformed instead of being parsed. */
export const MAX_RAW_CHARS = 10 * 1024 * 1024;

/**
 * Parses `raw` with mailparser's `simpleParser`.
 *
 * Throws a non-retryable `MalformedEmail` when `raw` is not a string, is empty or larger than
 * {@link MAX_RAW_CHARS}, when mailparser finds no header at all (plain text, binary junk), or when
 * the message has neither a From nor a Subject header: such a message gives nothing to classify or
 * to answer, and parsing it again cannot change that. A message with only one of the two is
 * accepted (19 spam messages of the SpamAssassin corpus have no Subject).
 */
export async function parseEmail(input: ParseEmailInput, _ctx?: StepContext): Promise<ParsedEmail> {
  const raw: unknown = input?.raw;
  if (typeof raw !== 'string' || raw.trim() === '') throw nonRetryable('MalformedEmail', 'the message is empty');
  if (raw.length > MAX_RAW_CHARS) {
    throw nonRetryable('MalformedEmail', `the message has ${raw.length} characters, more than the ${MAX_RAW_CHARS} accepted`);
  }
  let mail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    throw nonRetryable('MalformedEmail', `mailparser could not parse the message: ${(err as Error).message}`);
  }
  if (mail.headers.size === 0) throw nonRetryable('MalformedEmail', 'the message has no header');
  const subject = (mail.subject ?? '').trim();
  const from = (mail.from?.text ?? '').trim();
  if (subject === '' && from === '') throw nonRetryable('MalformedEmail', 'the message has neither a From nor a Subject header');

  const plain = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html) : '';
  const time = mail.date?.getTime();
  return {
    subject,
    from,
    to: addresses(mail.to),
    date: time !== undefined && Number.isFinite(time) ? time : null,
    text: plain.trim().slice(0, MAX_TEXT_CHARS),
    messageId: mail.messageId?.trim() || null,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  const visit = (list: EmailAddress[]): void => {
    for (const a of list) {
      if (a.group) visit(a.group);
      else if (a.address) out.push(a.address);
    }
  };
  for (const obj of field === undefined ? [] : Array.isArray(field) ? field : [field]) visit(obj.value);
  return out;
}
