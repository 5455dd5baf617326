import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StepContext } from '../context';
import { readRecords } from '../files/write-once';
import { withdrawReply } from './withdraw-reply';

let dir: string;
const saved = process.env.BATON_NOTIFY_DIR;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-withdraw-'));
  process.env.BATON_NOTIFY_DIR = join(dir, 'notifications');
});

afterEach(() => {
  if (saved === undefined) delete process.env.BATON_NOTIFY_DIR;
  else process.env.BATON_NOTIFY_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

const ctx: StepContext = { caseId: 'case-3', stepId: 'reply', attempt: 1, idempotencyKey: 'case-3:reply:compensate', params: {} };
const draftInput = JSON.stringify({ subject: 'Where is my order?', from: 'a@b.c', text: 'Hello' });
const draftOutput = JSON.stringify({ reply: 'Hi, it ships tomorrow.', model: 'local-template', inputTokens: 10, outputTokens: 5, costUsd: 0 });
const withdrawals = (): Promise<Array<Record<string, unknown>>> => readRecords(join(dir, 'withdrawals'));

test('the withdrawal of a drafted reply is recorded once in withdrawals/ beside the notifications', async () => {
  assert.deepEqual(await withdrawReply({ input: draftInput, output: draftOutput }, ctx), { withdrawn: true });
  await Promise.all(Array.from({ length: 5 }, () => withdrawReply({ input: draftInput, output: draftOutput }, ctx)));
  const lines = await withdrawals();
  assert.equal(lines.length, 1);
  assert.equal(lines[0].caseId, 'case-3');
  assert.equal(lines[0].subject, 'Where is my order?');
  assert.equal(lines[0].reply, 'Hi, it ships tomorrow.');
  assert.equal(lines[0].model, 'local-template');
});

test('a draft without a reply has nothing to withdraw', async () => {
  assert.deepEqual(await withdrawReply({ input: draftInput, output: '' }, ctx), { withdrawn: false });
  assert.deepEqual(await withdrawReply({ input: 'x', output: '{"reply":""}' }, ctx), { withdrawn: false });
  assert.deepEqual(await withdrawals(), []);
});
