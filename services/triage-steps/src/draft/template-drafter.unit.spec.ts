import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../corpus/corpus';
import { extractEntities } from '../entities/extract-entities';
import { parseEmail } from '../parse/parse-email';
import { analyzeSentiment } from '../sentiment/sentiment';
import { drafterFromEnv } from './draft-reply';
import { type DraftInput } from './draft-types';
import { countWords, draftPrompt } from './prompt';
import { TEMPLATE_MODEL, TemplateDrafter, senderName } from './template-drafter';

const input: DraftInput = {
  subject: 'Invoice 2231 overdue',
  from: '"Jane Doe" <jane@example.com>',
  text: 'Hello, invoice 2231 for $1,200 was due on March 3rd. I am very unhappy about the delay.',
  entities: { people: [], organizations: [], dates: ['March 3rd'], money: ['$1,200'] },
  sentiment: { score: -0.4, comparative: -0.4, label: 'negative' },
};

test('the template drafter mentions the subject, greets the sender and counts words as tokens at no cost', async () => {
  const out = await new TemplateDrafter().draft(input);
  assert.match(out.reply, /"Invoice 2231 overdue"/);
  assert.match(out.reply, /^Hi Jane,/);
  assert.match(out.reply, /March 3rd/);
  assert.match(out.reply, /\$1,200/);
  assert.match(out.reply, /sorry/);
  assert.equal(out.model, TEMPLATE_MODEL);
  assert.equal(out.costUsd, 0);
  assert.equal(out.outputTokens, countWords(out.reply));
  assert.equal(out.inputTokens, countWords(draftPrompt(input).map((m) => m.content).join('\n')));
  assert.ok(out.inputTokens > 20);
});

test('a real ham message goes through parse, entities, sentiment and the local drafter', async () => {
  const m = loadCorpus().find((x) => x.id === 'easy-ham-1/00005')!;
  const p = await parseEmail({ raw: m.raw });
  const out = await new TemplateDrafter().draft({ subject: p.subject, from: p.from, text: p.text, entities: extractEntities(p.text), sentiment: analyzeSentiment(p.text) });
  assert.ok(out.reply.includes(p.subject));
  assert.ok(out.inputTokens > 0 && out.outputTokens > 0);
});

test('the sender to greet is the display name, else the address, else "there"', () => {
  assert.equal(senderName('"Robert Elz" <kre@munnari.OZ.AU>'), 'Robert');
  assert.equal(senderName('john.smith@example.com'), 'john');
  assert.equal(senderName('<x@y.z>'), 'x');
  assert.equal(senderName(''), 'there');
});

test('without BATON_LLM_URL the template drafter is used', () => {
  assert.ok(drafterFromEnv({}) instanceof TemplateDrafter);
});
