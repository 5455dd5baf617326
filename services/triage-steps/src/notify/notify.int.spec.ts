import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keyFileName, readRecords } from '../files/write-once';
import { notify } from './notify';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
let dir: string;
let folder: string;
const saved = process.env.BATON_NOTIFY_DIR;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-notify-'));
  folder = join(dir, 'out', 'notifications');
  process.env.BATON_NOTIFY_DIR = folder;
});

afterEach(() => {
  if (saved === undefined) delete process.env.BATON_NOTIFY_DIR;
  else process.env.BATON_NOTIFY_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

const records = (): Promise<Array<Record<string, unknown>>> => readRecords(folder);
const caseIds = async (): Promise<unknown[]> => (await records()).map((r) => r.caseId).sort();

test('the outcome is written as one JSON record keyed by the case, then not again on redelivery', async () => {
  const first = await notify({ caseId: 'case-1', outcome: JSON.stringify({ label: 'ham', reply: 'Hi', caseId: 'spoofed' }) });
  const path = join(folder, keyFileName('case:case-1'));
  assert.deepEqual(first, { written: true, path });
  assert.deepEqual(await records(), [{ caseId: 'case-1', label: 'ham', reply: 'Hi' }]);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await notify({ caseId: 'case-1', outcome: JSON.stringify({ label: 'spam' }) }), { written: false, path });
  }
  assert.deepEqual(await records(), [{ caseId: 'case-1', label: 'ham', reply: 'Hi' }], 'the first record stands');
  await notify({ caseId: 'case-2', outcome: '{"label":"spam"}' });
  assert.deepEqual(await caseIds(), ['case-1', 'case-2']);
});

test('20 concurrent calls for the same case write exactly one record, and exactly one reports it', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => notify({ caseId: 'case-c', outcome: JSON.stringify({ call: i }) })));
  assert.equal(results.filter((r) => r.written).length, 1);
  const written = results.find((r) => r.written)!;
  assert.equal((await records()).length, 1);
  assert.deepEqual(Object.keys((await records())[0]!), ['caseId', 'call']);
  assert.ok(results.every((r) => r.path === written.path));
  // And with several cases interleaved: one record each, no temporary file left behind.
  await Promise.all(Array.from({ length: 60 }, (_, i) => notify({ caseId: `case-${i % 6}`, outcome: '{}' })));
  assert.deepEqual(await caseIds(), ['case-0', 'case-1', 'case-2', 'case-3', 'case-4', 'case-5', 'case-c']);
  assert.deepEqual(readdirSync(folder).filter((f) => !f.endsWith('.json')), []);
});

test('concurrent calls from 4 processes for the same cases write one record per case', async () => {
  const script = `
    const { notify } = require('./services/triage-steps/src/notify/notify');
    Promise.all(Array.from({ length: 5 }, (_, i) => notify({ caseId: 'case-' + (i % 2), outcome: JSON.stringify({ pid: process.pid }) })))
      .then((r) => console.log(r.filter((x) => x.written).length))
      .catch((e) => { console.error(e); process.exit(1); });`;
  const runs = Array.from({ length: 4 }, () =>
    new Promise<number>((ok, fail) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: repoRoot, env: { ...process.env, BATON_NOTIFY_DIR: folder } });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => (code === 0 ? ok(Number(out.trim())) : fail(new Error(`child exited ${code}: ${err}`))));
    }));
  const written = (await Promise.all(runs)).reduce((a, b) => a + b, 0);
  assert.equal(written, 2);
  assert.deepEqual(await caseIds(), ['case-0', 'case-1']);
});

test('a writer killed before its record was linked leaves a temporary file only: the next delivery writes the record', async () => {
  await notify({ caseId: 'other', outcome: '{}' });
  // What a crash between writing the temporary file and linking it leaves: half a record under a temporary name.
  writeFileSync(join(folder, `${keyFileName('case:case-k')}.4242.deadbeef.tmp`), '{"caseId":"case-k","n":');
  assert.deepEqual(await caseIds(), ['other'], 'a temporary file is no record');
  const again = await notify({ caseId: 'case-k', outcome: '{"n":2}' });
  assert.equal(again.written, true);
  assert.deepEqual((await records()).find((r) => r.caseId === 'case-k'), { caseId: 'case-k', n: 2 });
});

test('a writer killed after its record was linked: the next delivery writes nothing', async () => {
  await notify({ caseId: 'case-k', outcome: '{"n":1}' });
  const again = await notify({ caseId: 'case-k', outcome: '{"n":2}' });
  assert.equal(again.written, false);
  assert.deepEqual(await records(), [{ caseId: 'case-k', n: 1 }]);
});

test('an outcome that is not a JSON object is the non-retryable MalformedOutcome', async () => {
  for (const outcome of ['not json', '[1,2]', 'null', '"text"']) {
    await assert.rejects(notify({ caseId: 'case-m', outcome }), { name: 'MalformedOutcome', nonRetryable: true });
  }
  assert.deepEqual(await records(), []);
});
