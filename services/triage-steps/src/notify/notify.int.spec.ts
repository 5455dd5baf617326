import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isNonRetryable, RetryableFailure } from '../errors';
import { markerDir } from '../files/append-once';
import { notify } from './notify';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
let dir: string;
let file: string;
const saved = process.env.BATON_NOTIFY_FILE;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-notify-'));
  file = join(dir, 'out', 'notifications.jsonl');
  process.env.BATON_NOTIFY_FILE = file;
});

afterEach(() => {
  if (saved === undefined) delete process.env.BATON_NOTIFY_FILE;
  else process.env.BATON_NOTIFY_FILE = saved;
  rmSync(dir, { recursive: true, force: true });
});

const lines = (): Array<Record<string, unknown>> =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

test('the outcome is appended as one JSON line keyed by the case, then not again on redelivery', async () => {
  const first = await notify({ caseId: 'case-1', outcome: JSON.stringify({ label: 'ham', reply: 'Hi', caseId: 'spoofed' }) });
  assert.deepEqual(first, { written: true, path: file });
  assert.deepEqual(lines(), [{ caseId: 'case-1', label: 'ham', reply: 'Hi' }]);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await notify({ caseId: 'case-1', outcome: JSON.stringify({ label: 'ham', reply: 'Hi' }) }), { written: false, path: file });
  }
  await notify({ caseId: 'case-2', outcome: '{"label":"spam"}' });
  assert.deepEqual(lines().map((l) => l.caseId), ['case-1', 'case-2']);
});

test('20 concurrent calls for the same case write exactly one line, and exactly one reports it', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => notify({ caseId: 'case-c', outcome: JSON.stringify({ call: i }) })));
  assert.equal(results.filter((r) => r.written).length, 1);
  assert.equal(lines().length, 1);
  // And with several cases interleaved: one line each.
  await Promise.all(Array.from({ length: 60 }, (_, i) => notify({ caseId: `case-${i % 6}`, outcome: '{}' })));
  assert.deepEqual(lines().map((l) => l.caseId).sort(), ['case-0', 'case-1', 'case-2', 'case-3', 'case-4', 'case-5', 'case-c']);
});

test('concurrent calls from 4 processes for the same cases write one line per case', async () => {
  const script = `
    const { notify } = require('./services/triage-steps/src/notify/notify');
    Promise.all(Array.from({ length: 5 }, (_, i) => notify({ caseId: 'case-' + (i % 2), outcome: JSON.stringify({ pid: process.pid }) })))
      .then((r) => console.log(r.filter((x) => x.written).length))
      .catch((e) => { console.error(e); process.exit(1); });`;
  const runs = Array.from({ length: 4 }, () =>
    new Promise<number>((ok, fail) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: repoRoot, env: { ...process.env, BATON_NOTIFY_FILE: file } });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => (code === 0 ? ok(Number(out.trim())) : fail(new Error(`child exited ${code}: ${err}`))));
    }));
  const written = (await Promise.all(runs)).reduce((a, b) => a + b, 0);
  assert.equal(written, 2);
  assert.deepEqual(lines().map((l) => l.caseId).sort(), ['case-0', 'case-1']);
});

/** A pid that no longer runs: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
  return Number(r.stdout.toString().trim());
}

/** Turns the markers of the one finished case into those of an owner killed before it marked the case done. */
function crashedClaim(): void {
  const markers = markerDir(file);
  const claim = readdirSync(markers).find((f) => f.includes('.claim.'))!;
  const base = claim.slice(0, claim.indexOf('.claim.'));
  rmSync(join(markers, `${base}.done`), { force: true });
  writeFileSync(join(markers, claim), JSON.stringify({ pid: deadPid(), host: hostname(), at: Date.now() - 5_000 }));
}

test('a writer killed after appending, before marking the case done, does not cause a second line', async () => {
  await notify({ caseId: 'case-k', outcome: '{"n":1}' });
  crashedClaim();
  const again = await notify({ caseId: 'case-k', outcome: '{"n":2}' });
  assert.equal(again.written, false);
  assert.deepEqual(lines(), [{ caseId: 'case-k', n: 1 }]);
  assert.ok(readdirSync(markerDir(file)).some((f) => f.endsWith('.claim.2')), 'the takeover claimed epoch 2');
});

test('a writer killed after claiming, before appending, does not lose the line', async () => {
  await notify({ caseId: 'case-k', outcome: '{"n":1}' });
  crashedClaim();
  writeFileSync(file, '{"caseId":"other"}\n{"caseId":"half-wri');
  const again = await notify({ caseId: 'case-k', outcome: '{"n":2}' });
  assert.equal(again.written, true);
  const text = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(text, ['{"caseId":"other"}', '{"caseId":"half-wri', '{"caseId":"case-k","n":2}']);
});

test('a claim held by a live writer is waited for, then its line is reused', async () => {
  await notify({ caseId: 'case-w', outcome: '{}' });
  const markers = markerDir(file);
  const done = readdirSync(markers).find((f) => f.endsWith('.done'))!;
  rmSync(join(markers, done));
  // The claim is by this (live) process: the call must wait, then see done appear.
  setTimeout(() => writeFileSync(join(markers, done), ''), 200);
  const started = Date.now();
  const r = await notify({ caseId: 'case-w', outcome: '{}' });
  assert.equal(r.written, false);
  assert.ok(Date.now() - started >= 150);
  assert.equal(lines().length, 1);
});

test('a live claim that never finishes makes the call fail with a retryable AppendBusy', async () => {
  await notify({ caseId: 'case-b', outcome: '{}' });
  const markers = markerDir(file);
  rmSync(join(markers, readdirSync(markers).find((f) => f.endsWith('.done'))!));
  await assert.rejects(notify({ caseId: 'case-b', outcome: '{}' }, undefined, { waitMs: 100 }), (err: unknown) => {
    assert.ok(err instanceof RetryableFailure);
    assert.equal(err.name, 'AppendBusy');
    assert.equal(isNonRetryable(err), false);
    return true;
  });
});

test('an outcome that is not a JSON object is the non-retryable MalformedOutcome', async () => {
  for (const outcome of ['not json', '[1,2]', 'null', '"text"']) {
    await assert.rejects(notify({ caseId: 'case-m', outcome }), { name: 'MalformedOutcome', nonRetryable: true });
  }
  assert.deepEqual(lines(), []);
});
