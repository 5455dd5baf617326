import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, freshDatabase, uniqueName, type FreshDatabase } from '@baton/testing';

const root = resolve(__dirname, '../..');

describe('the main job', () => {
  let db: FreshDatabase;
  let home: string;
  before(async () => {
    db = await freshDatabase('mainjob');
    home = mkdtempSync(join(tmpdir(), 'baton-main-job-'));
  });
  after(async () => {
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('triages real emails end to end and prints the summary and a trace', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/main-job/main.ts', '--cases', '8', '--namespace', uniqueName('mj'), '--gateway-port', String(port), '--timeout-s', '240'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: db.url, BATON_HOME: home, BATON_ORCHESTRATOR_PORT: '0', BATON_STEPS_PORT: '0', BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 0, out.slice(-4000));
    assert.match(out, /cases: 8 \(4 via kafka, 4 via http\)/);
    assert.match(out, /completed 8, failed 0/);
    const matrix = /spam\s+(\d+)\s+(\d+)\s+(\d+)\n\s+ham\s+(\d+)\s+(\d+)\s+(\d+)/.exec(out);
    assert.ok(matrix, out.slice(-3000));
    assert.equal(matrix.slice(1).map(Number).reduce((a, b) => a + b, 0), 8, 'every case is in the confusion matrix');
    assert.match(out, /review rate: \d+\.\d% of cases went to a person/);
    assert.match(out, /case latency \(trigger sent -> case ended\): p50 \d+ ms, p95 \d+ ms, p99 \d+ ms/);
    assert.match(out, /throughput: \d+\.\d cases\/s/);
    assert.match(out, /trace of case [0-9a-f-]{36}/);
    assert.match(out, /notify\s+1\s+completed/);
    assert.match(out, /main job: stopped the services it started/);
    const records = readdirSync(join(home, 'main-job', 'notifications')).filter((f) => f.endsWith('.json'));
    assert.equal(records.length, 8, 'one notification record per case');
  });
});
