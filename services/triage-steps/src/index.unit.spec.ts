import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handlers, noop } from './index';

const ctx = { caseId: 'c', stepId: 's', attempt: 1, idempotencyKey: 'c:s', params: {} };

test('every step type of the inbox-triage example has a handler', () => {
  assert.deepEqual(Object.keys(handlers).sort(), [
    'email.parse', 'mail.quarantine', 'noop', 'notify', 'reply.withdraw', 'text.classify', 'text.draft', 'text.entities', 'text.sentiment',
  ]);
  for (const h of Object.values(handlers)) assert.equal(typeof h, 'function');
});

test('noop answers ok, with or without n', async () => {
  assert.deepEqual(await noop({ n: 3 }, ctx), { ok: true });
  assert.deepEqual(await handlers.noop({ n: null }, ctx), { ok: true });
});

test('the handlers map runs the real steps: a message parsed, then classified', async () => {
  const parsed = await handlers['email.parse']({ raw: 'From: a@b.c\nSubject: lunch tomorrow?\n\nShall we meet at noon to review the patch?' }, ctx);
  assert.equal(parsed.subject, 'lunch tomorrow?');
  const out = await handlers['text.classify']({ subject: parsed.subject, text: parsed.text }, ctx);
  assert.ok(out.label === 'ham' || out.label === 'spam');
  assert.ok(out.confidence >= 0 && out.confidence <= 1);
});
