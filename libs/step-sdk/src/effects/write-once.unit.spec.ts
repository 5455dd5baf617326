import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APPLIED_LOG, writeOnce } from './write-once';

describe('writeOnce', () => {
  it('applies an effect once per key however often it runs, and returns the first record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-once-'));
    try {
      const first = writeOnce(dir, 'case:1/x', () => ({ n: 1 }));
      const again = writeOnce(dir, 'case:1/x', () => ({ n: 2 }));
      const other = writeOnce(dir, 'case:2/x', () => ({ n: 3 }));
      assert.deepEqual([first.created, again.created, again.record, other.created], [true, false, { n: 1 }, true]);
      assert.deepEqual(readdirSync(dir).sort(), [APPLIED_LOG, 'case_1_x.json', 'case_2_x.json']);
      assert.equal(readFileSync(join(dir, APPLIED_LOG), 'utf8'), 'case:1/x\ncase:2/x\n', 'one journal line per creation');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets exactly one of eight processes racing on one key create the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-once-race-'));
    const entry = resolve(__dirname, 'write-once.ts');
    const script = `const { writeOnce } = require(${JSON.stringify(entry)}); const r = writeOnce(${JSON.stringify(dir)}, 'k', () => ({ pid: process.pid })); process.stdout.write(r.created ? 'created' : 'found');`;
    try {
      const outs = await Promise.all(Array.from({ length: 8 }, () => new Promise<string>((done) => {
        const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
        child.on('exit', () => done(out));
      })));
      assert.equal(outs.filter((o) => o === 'created').length, 1, outs.join(','));
      assert.equal(outs.filter((o) => o === 'found').length, 7, outs.join(','));
      assert.deepEqual(readdirSync(dir).sort(), [APPLIED_LOG, 'k.json'], 'no temporary file is left');
      assert.equal(readFileSync(join(dir, APPLIED_LOG), 'utf8'), 'k\n', 'the one creation is journalled once');
      assert.ok(Number.isInteger((JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8')) as { pid: number }).pid));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
