/**
 * The local drafter used when no LLM is configured: a reply assembled from a template, the
 * sender's name, the subject, the entities and the tone. Model `local-template`, cost 0, tokens
 * counted as whitespace-separated words of the prompt and of the reply.
 */
import { type DraftInput, type DraftOutput, type Drafter } from './draft-types';
import { countWords, draftPrompt } from './prompt';

/** The `model` the template drafter reports. */
export const TEMPLATE_MODEL = 'local-template';

/** The name to greet: the display name of a From header, else the address's local part. */
export function senderName(from: string): string {
  const display = from.replace(/<[^>]*>/, '').replace(/["']/g, '').trim();
  if (display && !display.includes('@')) return display.split(/\s+/)[0];
  const local = /([^\s<@]+)@/.exec(from)?.[1] ?? '';
  return local ? local.replace(/[._-]+/g, ' ').split(' ')[0] : 'there';
}

/** Writes a template reply. */
export class TemplateDrafter implements Drafter {
  async draft(input: DraftInput): Promise<DraftOutput> {
    const subject = input.subject.trim() || '(no subject)';
    const { dates, money } = input.entities;
    const lines = [`Hi ${senderName(input.from)},`, ''];
    if (input.sentiment.label === 'negative') {
      lines.push(`Thank you for your message about "${subject}", and I am sorry for the trouble.`);
    } else {
      lines.push(`Thank you for your message about "${subject}".`);
    }
    if (dates.length) lines.push(`I have noted the date${dates.length > 1 ? 's' : ''} you mentioned (${dates.slice(0, 3).join(', ')}).`);
    if (money.length) lines.push(`I have also noted the amount${money.length > 1 ? 's' : ''} (${money.slice(0, 3).join(', ')}).`);
    lines.push('We are looking into it and will get back to you shortly.', '', 'Best regards,', 'The team');
    const reply = lines.join('\n');
    const prompt = draftPrompt(input).map((m) => m.content).join('\n');
    return { reply, model: TEMPLATE_MODEL, inputTokens: countWords(prompt), outputTokens: countWords(reply), costUsd: 0 };
  }
}
