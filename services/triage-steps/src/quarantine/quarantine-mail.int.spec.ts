import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StepContext } from '../context';
import { quarantineFileName, quarantineMail, type QuarantineRecord } from './quarantine-mail';

let dir: string;
const saved = process.env.BATON_QUARANTINE_DIR;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'baton-quarantine-')), 'q');
  process.env.BATON_QUARANTINE_DIR = dir;
});

afterEach(() => {
  if (saved === undefined) delete process.env.BATON_QUARANTINE_DIR;
  else process.env.BATON_QUARANTINE_DIR = saved;
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

const ctx = (key: string): StepContext => ({ caseId: 'case-7', stepId: 'quarantine', attempt: 1, idempotencyKey: key, params: {} });
const input = { messageId: '<abc@spam.example>', subject: 'FREE money', reason: 'spam (confidence 0.97)' };

test('the record is written under BATON_QUARANTINE_DIR, named by the idempotency key', async () => {
  const before = Date.now();
  const out = await quarantineMail(input, ctx('case-7/quarantine'));
  assert.equal(out.location, join(dir, quarantineFileName('case-7/quarantine')));
  assert.ok(out.quarantinedAt >= before && out.quarantinedAt <= Date.now());
  const record = JSON.parse(readFileSync(out.location, 'utf8')) as QuarantineRecord;
  assert.deepEqual(record, { caseId: 'case-7', stepId: 'quarantine', idempotencyKey: 'case-7/quarantine', ...input, quarantinedAt: out.quarantinedAt });
  assert.match(quarantineFileName('case-7/quarantine'), /^case-7_quarantine-[0-9a-f]{12}\.json$/);
});

test('redelivery, even concurrent, returns the first record and writes no other file', async () => {
  const first = await quarantineMail(input, ctx('k1'));
  const again = await Promise.all(Array.from({ length: 10 }, () => quarantineMail({ ...input, reason: 'other' }, ctx('k1'))));
  for (const r of again) assert.deepEqual(r, first);
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => quarantineMail({ ...input, messageId: null }, ctx('k2'))));
  assert.equal(new Set(concurrent.map((r) => JSON.stringify(r))).size, 1);
  assert.deepEqual(readdirSync(dir).sort(), [quarantineFileName('k1'), quarantineFileName('k2')].sort());
});

test('keys that differ only in unsafe characters get different files', () => {
  assert.notEqual(quarantineFileName('a/b'), quarantineFileName('a:b'));
  assert.ok(quarantineFileName('x'.repeat(500)).length < 120);
});
