import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');
const script = join(repoRoot, 'contracts', 'tools', 'check-compat.ts');
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: gitEnv, encoding: 'utf8' });
}

function check(dir: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, ['-r', '@swc-node/register', script, '--root', dir, ...args], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json') }, timeout: 60_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('contracts:check against a git base revision', () => {
  let dir: string;
  const file = () => join(dir, 'contracts', 'schemas', 'baton', 'CancelCase.avsc');
  const edit = (change: (s: { fields: Array<Record<string, unknown>> }) => void) => {
    const s = JSON.parse(readFileSync(file(), 'utf8'));
    change(s);
    writeFileSync(file(), JSON.stringify(s, null, 2));
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-compat-'));
    cpSync(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'contracts');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes an unchanged tree, one line per schema', () => {
    const r = check(dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^ok baton\/CancelCase\.avsc$/m);
    assert.doesNotMatch(r.out, /INCOMPATIBLE/);
  });

  it('passes a field added with a default and a new schema file', () => {
    edit((s) => s.fields.push({ name: 'ticket', type: ['null', 'string'], default: null }));
    writeFileSync(join(dir, 'contracts', 'schemas', 'examples', 'Extra.avsc'), JSON.stringify({ type: 'record', name: 'Extra', namespace: 'baton.examples', fields: [] }));
    const r = check(dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^new examples\/Extra\.avsc$/m);
    git(dir, 'checkout', '-q', '--', '.');
    unlinkSync(join(dir, 'contracts', 'schemas', 'examples', 'Extra.avsc'));
  });

  it('fails a field added without a default, naming it', () => {
    edit((s) => s.fields.push({ name: 'ticket', type: 'string' }));
    const r = check(dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^INCOMPATIBLE: baton\/CancelCase\.avsc: field baton\.v1\.CancelCase\.ticket was added without a default$/m);
    git(dir, 'checkout', '-q', '--', '.');
  });

  it('fails a field whose type changed, naming it', () => {
    edit((s) => { s.fields.find((f) => f.name === 'reason')!.type = 'int'; });
    const r = check(dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /INCOMPATIBLE: baton\/CancelCase\.avsc: field baton\.v1\.CancelCase\.reason: type changed/);
    git(dir, 'checkout', '-q', '--', '.');
  });

  it('compares with the revision given by --base', () => {
    edit((s) => s.fields.push({ name: 'ticket', type: 'string', default: '' }));
    git(dir, 'commit', '-q', '-am', 'add ticket');
    edit((s) => { s.fields = s.fields.filter((f) => f.name !== 'ticket'); s.fields.push({ name: 'ticket', type: 'long', default: 0 }); });
    assert.equal(check(dir).code, 1, 'HEAD has ticket as a string');
    assert.equal(check(dir, '--base', 'HEAD~1').code, 0, 'HEAD~1 has no ticket');
    git(dir, 'checkout', '-q', '--', '.');
  });

  it('fails a removed schema and exits 2 on a bad base revision', () => {
    unlinkSync(file());
    const r = check(dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /INCOMPATIBLE: baton\/CancelCase\.avsc: the schema was removed/);
    git(dir, 'checkout', '-q', '--', '.');
    assert.equal(check(dir, '--base', 'no-such-rev').code, 2);
  });
});

describe('contracts:check --transitive, as CI runs it', () => {
  it('catches a break committed earlier even when the working tree equals HEAD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-compat-t-'));
    try {
      cpSync(join(repoRoot, 'contracts'), join(dir, 'contracts'), { recursive: true });
      git(dir, 'init', '-q');
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'contracts');
      const path = join(dir, 'contracts', 'schemas', 'baton', 'CancelCase.avsc');
      const s = JSON.parse(readFileSync(path, 'utf8'));
      s.fields.find((f: { name: string }) => f.name === 'reason').type = 'int';
      writeFileSync(path, JSON.stringify(s, null, 2));
      git(dir, 'commit', '-q', '-am', 'break reason');
      assert.equal(check(dir).code, 0, 'against HEAD alone the tree is unchanged');
      const r = check(dir, '--transitive');
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /INCOMPATIBLE: baton\/CancelCase\.avsc: against an earlier committed version: field baton\.v1\.CancelCase\.reason/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
