import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSentiment, textSentiment } from './sentiment';

test('a clearly positive text is positive and a clearly negative one negative', async () => {
  const pos = await textSentiment({ text: 'Thank you so much, I love it. The support was wonderful and fast!' });
  assert.equal(pos.label, 'positive');
  assert.ok(pos.score > 0 && pos.comparative > 0);
  const neg = await textSentiment({ text: 'This is terrible. I hate it, the product broke and I am very angry.' });
  assert.equal(neg.label, 'negative');
  assert.ok(neg.score < 0 && neg.comparative < 0);
});

test('a factual text is neutral', () => {
  assert.deepEqual(analyzeSentiment('The meeting is at 3pm in room 4.'), { score: 0, comparative: 0, label: 'neutral' });
  assert.deepEqual(analyzeSentiment(''), { score: 0, comparative: 0, label: 'neutral' });
});

test('quoted lines are someone else\'s words and do not count', () => {
  const s = analyzeSentiment('> This is terrible, I hate it.\n> Awful, horrible.\nThe meeting is at 3pm.');
  assert.equal(s.label, 'neutral');
});

test('score and comparative stay within [-1, 1]', () => {
  for (const t of ['good good good great excellent!!!', 'bad awful horrible terrible worst!!!']) {
    const s = analyzeSentiment(t);
    assert.ok(Math.abs(s.score) <= 1 && Math.abs(s.comparative) <= 1, JSON.stringify(s));
  }
});
