import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, freshDatabase, uniqueName, type FreshDatabase } from '@baton/testing';

const root = resolve(__dirname, '../..');

/** Runs the main job with `args` against a fresh database; resolves with its exit code and output. */
async function mainJob(db: FreshDatabase, home: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/main-job/main.ts', ...args, '--namespace', uniqueName('flow'), '--gateway-port', String(port), '--timeout-s', '240'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: db.url, BATON_HOME: home, BATON_ORCHESTRATOR_PORT: '0', BATON_STEPS_PORT: '0', BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_LLM_URL: '', SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, out };
}

describe('the step teams\' main jobs', () => {
  let db: FreshDatabase;
  let home: string;
  before(async () => {
    db = await freshDatabase('flows');
    home = mkdtempSync(join(tmpdir(), 'baton-flows-'));
  });
  after(async () => {
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('lead to contract: unqualified leads end after qualify; a qualified one gets a PDF, a signature review and one invoice, resuming at the failed invoice', async () => {
    const { code, out } = await mainJob(db, home, ['--workflow', 'lead-to-contract', '--cases', '8']);
    assert.equal(code, 0, out.slice(-4000));
    assert.match(out, /completed 8, failed 0/);
    const m = /leads qualified: (\d+); unqualified, ended early after qualify: (\d+)/.exec(out);
    assert.ok(m, out.slice(-3000));
    const qualified = Number(m[1]);
    assert.equal(qualified + Number(m[2]), 8);
    assert.ok(qualified > 0 && qualified < 8, `both branches ran: ${qualified} qualified`);
    assert.match(out, new RegExp(`invoices raised: ${qualified} \\(one file per case\\)`));
    assert.match(out, new RegExp(`effect invoices: ${qualified} applications for ${qualified} keys, 0 applied twice`));
    assert.match(out, new RegExp(`review tasks approved: ${qualified} \\(queue contracts\\)`));
    // Every qualified case's invoice failed once and was retried; no earlier step ran twice.
    assert.match(out, /attempts per step[^\n]*qualify 1,[^\n]*invoice 2/);
    assert.doesNotMatch(out, /attempts per step[^\n]*(qualify|project|contract|sign) (2|1\.\.)/);
    assert.match(out, /invoice \(invoice\.create\)\s+1\s+failed[^\n]*InjectedFault/);
    assert.match(out, /\n\s+2\s+completed/);
    const effects = join(home, 'main-job', 'lead-to-contract', 'effects');
    const pdfs = readdirSync(join(effects, 'contracts')).filter((f) => f.endsWith('.pdf'));
    assert.equal(pdfs.length, qualified);
    assert.equal(readFileSync(join(effects, 'contracts', pdfs[0]!)).subarray(0, 5).toString(), '%PDF-');
    const invoice = JSON.parse(readFileSync(join(effects, 'invoices', readdirSync(join(effects, 'invoices'))[0]!), 'utf8')) as { subtotalMinor: number; taxMinor: number; totalMinor: number };
    assert.equal(invoice.totalMinor, invoice.subtotalMinor + invoice.taxMinor);
    assert.ok(Number.isInteger(invoice.totalMinor));
  });

  it('demand generation: several drafts per case, every case reviewed before its one publication', async () => {
    const { code, out } = await mainJob(db, home, ['--workflow', 'demand-gen', '--cases', '5']);
    assert.equal(code, 0, out.slice(-4000));
    assert.match(out, /completed 5, failed 0/);
    assert.match(out, /review tasks approved: 5 \(queue demand\)/);
    assert.match(out, /reviewed before publish: 5 of 5/);
    assert.match(out, /published: 5 cases, 5 publication files \(one per case\)/);
    assert.match(out, /review approve by main-job/);
    assert.match(out, /effect publications: 5 applications for 5 keys, 0 applied twice/);
    const dir = join(home, 'main-job', 'demand-gen', 'effects', 'publications');
    const pubs = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { posts: number });
    assert.ok(pubs.every((p) => p.posts >= 2), 'several drafts per case');
  });

  it('demand generation with its step service SIGKILLed 3 times mid-run: every one of 24 cases ends, each published exactly once', async () => {
    const { code, out } = await mainJob(db, home, ['--workflow', 'demand-gen', '--cases', '24', '--kill-steps', '3']);
    assert.equal(code, 0, out.slice(-4000));
    assert.match(out, /completed 24, failed 0/);
    const kills = /SIGKILLed and restarted (\d+) times while cases ran \(cases not yet ended at each kill: ([\d, ]+)\)/.exec(out);
    assert.ok(kills, out.slice(-3000));
    // Kill k comes once k/4 of the cases ended; cases that all end while the service restarts leave later kills undone.
    assert.ok(Number(kills[1]) >= 1 && Number(kills[1]) <= 3, `1 to 3 kills: ${kills[1]}`);
    assert.ok(kills[2]!.split(', ').every((n) => Number(n) > 0), `every kill hit cases in flight: ${kills[2]}`);
    assert.match(out, /effect publications: 24 applications for 24 keys, 0 applied twice/);
  });
});
