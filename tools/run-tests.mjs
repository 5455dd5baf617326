#!/usr/bin/env node
// Runs the project's tests with Node's own test runner, TypeScript compiled on the fly by
// @swc-node/register (which, unlike esbuild-based loaders, emits the decorator metadata NestJS needs).
//   node tools/run-tests.mjs [path-filter ...]
// Tiers by file name: *.unit.spec.ts run in parallel; *.int.spec.ts and *.e2e.spec.ts, which share
// the one local broker and database, run one file at a time. Ends with one line:
//   N passed, N failed[, N skipped]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const skipDirs = new Set(['node_modules', 'dist', 'tmp', '.git', '.baton', '.nx']);

function specs(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) { if (!skipDirs.has(e.name)) specs(join(dir, e.name), out); }
    else if (e.name.endsWith('.spec.ts')) out.push(relative(root, join(dir, e.name)));
  }
  return out;
}

const all = specs(root).filter((f) => filters.length === 0 || filters.some((p) => f.includes(p))).sort();
const unit = all.filter((f) => f.endsWith('.unit.spec.ts'));
const serial = all.filter((f) => !f.endsWith('.unit.spec.ts'));
// One folder per run, so two runs at once (a developer's and a helper's) never delete each other's reports.
const resultsDir = join(root, 'tmp', 'test-results');
const tapDir = join(resultsDir, `run-${process.pid}`);
rmSync(tapDir, { recursive: true, force: true });
mkdirSync(tapDir, { recursive: true });

function run(files, concurrency, name) {
  if (files.length === 0) return Promise.resolve({ pass: 0, fail: 0, skipped: 0, code: 0 });
  const tap = join(tapDir, `${name}.tap`);
  const args = ['-r', '@swc-node/register', '--test', `--test-concurrency=${concurrency}`,
    `--test-timeout=${process.env.BATON_TEST_TIMEOUT_MS ?? 600000}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') } });
    child.on('exit', (code) => {
      const text = readFileSync(tap, 'utf8');
      // The last summary block of the TAP stream counts every test in every file.
      const count = (k) => { const m = [...text.matchAll(new RegExp(`^# ${k} (\\d+)$`, 'gm'))].pop(); return m ? Number(m[1]) : 0; };
      done({ pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo'), code: code ?? 1 });
    });
  });
}

const started = Date.now();
const a = await run(unit, Math.max(1, cpus().length), 'unit');
const b = await run(serial, 1, 'integration');
const pass = a.pass + b.pass, fail = a.fail + b.fail, skipped = a.skipped + b.skipped;
const crashed = (a.code !== 0 && a.fail === 0) || (b.code !== 0 && b.fail === 0);
console.log(`\n${all.length} test files in ${((Date.now() - started) / 1000).toFixed(1)}s`);
const summary = `${pass} passed, ${fail + (crashed ? 1 : 0)} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(resultsDir, 'summary.txt'), `${summary}\n`);
rmSync(tapDir, { recursive: true, force: true });
console.log(summary);
process.exit(fail > 0 || crashed ? 1 : 0);
