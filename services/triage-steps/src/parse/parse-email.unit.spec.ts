import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../corpus/corpus';
import { NonRetryableError } from '../errors';
import { htmlToText } from './html-text';
import { MAX_TEXT_CHARS, parseEmail } from './parse-email';

const corpus = loadCorpus();
const raw = (id: string): string => {
  const m = corpus.find((x) => x.id === id);
  assert.ok(m, `corpus message ${id}`);
  return m.raw;
};

async function rejects(input: string, why: RegExp): Promise<void> {
  await assert.rejects(parseEmail({ raw: input }), (err: unknown) => {
    assert.ok(err instanceof NonRetryableError, `the SDK's NonRetryableError, got ${String(err)}`);
    assert.equal(err.name, 'MalformedEmail');
    assert.match(err.message, why);
    return true;
  });
}

test('a known corpus message parses to its subject, sender, recipient, date, id and body', async () => {
  const p = await parseEmail({ raw: raw('easy-ham-1/00001') });
  assert.equal(p.subject, 'Re: New Sequences Window');
  assert.equal(p.from, '"Robert Elz" <kre@munnari.OZ.AU>');
  assert.deepEqual(p.to, ['cwg-dated-1030377287.06fa6d@DeepEddy.Com']);
  assert.equal(p.date, Date.parse('2002-08-22T11:26:25Z'));
  assert.equal(p.messageId, '<13258.1030015585@munnari.OZ.AU>');
  assert.match(p.text, /Exmh-workers mailing list/);
  assert.doesNotMatch(p.text, /^Return-Path:/m);
});

test('a handful of real messages of every group parse with a sender and a body', async () => {
  for (const id of ['easy-ham-2/00001', 'hard-ham-1/00001', 'spam-1/00001', 'spam-2/00001', 'spam-1/00023']) {
    const p = await parseEmail({ raw: raw(id) });
    assert.ok(p.from.length > 0, `${id} has a sender`);
    assert.ok(p.text.length > 0, `${id} has a body`);
    assert.ok(Array.isArray(p.to));
    assert.ok(p.date === null || Number.isFinite(p.date));
  }
});

test('an HTML-only message gets its text from the HTML, without tags', async () => {
  const p = await parseEmail({ raw: raw('hard-ham-1/00221') });
  assert.match(p.text, /Palm OS® Edition/);
  assert.doesNotMatch(p.text, /<[a-z]/i);
});

test('a long body is cut to the bound', async () => {
  const m = raw('easy-ham-1/00670');
  assert.ok(m.length > MAX_TEXT_CHARS * 2);
  const p = await parseEmail({ raw: m });
  assert.equal(p.text.length, MAX_TEXT_CHARS);
});

test('a message with a Subject but no From header is accepted', async () => {
  const p = await parseEmail({ raw: 'Subject: hi\n\nbody' });
  assert.deepEqual(p, { subject: 'hi', from: '', to: [], date: null, text: 'body', messageId: null });
});

test('input without headers, without From and Subject, or empty fails with the non-retryable MalformedEmail', async () => {
  await rejects('', /empty/);
  await rejects('   \n ', /empty/);
  await rejects('hello world, this is not an email', /no header/);
  await rejects('\u0000\u0001\u0002\u0003', /no header/);
  await rejects('X-Mailer: something\nContent-Type: text/plain\n\nbody without sender or subject', /neither a From nor a Subject/);
  await assert.rejects(parseEmail({ raw: 42 as unknown as string }), { name: 'MalformedEmail' });
});

test('HTML becomes text with blocks as paragraphs and entities decoded', () => {
  const text = htmlToText('<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>there</b>,\n world</p><div>Price: &pound;5 &amp; more&#33;</div><script>x()</script></body></html>');
  assert.equal(text, 'Hello there, world\n\nPrice: £5 & more!');
});
