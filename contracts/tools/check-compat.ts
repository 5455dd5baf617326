/**
 * CI check: every contract schema in the working tree must stay backward compatible with its
 * version in a base revision (default HEAD): the new schema must read data written with the old
 * one, and keep its full name. A new file passes; a removed file fails.
 *
 *   npm run contracts:check [-- --base <rev>] [--root <project dir holding contracts/schemas>]
 *
 * With `--transitive` (what CI runs), each schema must also read every earlier committed version
 * of its file reachable from the base (Confluent's BACKWARD_TRANSITIVE), so a break is caught even
 * when it landed in an earlier commit of the same submission and the working tree equals HEAD.
 *
 * Prints one line per schema: `ok <file>`, `new <file>` or `INCOMPATIBLE: <file>: <reason>`.
 * Exits 1 on any incompatibility, 2 on a usage or git error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listSchemaFiles } from '../src/load-contracts';
import { checkCompatibility } from './compat';

function args(argv: string[]): { base: string; root: string; transitive: boolean } {
  let base = 'HEAD';
  let transitive = false;
  let root = resolve(__dirname, '..', '..');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = argv[i + 1];
    if ((a === '--base' || a === '--root') && value !== undefined) {
      if (a === '--base') base = value;
      else root = resolve(value);
      i++;
    } else if (a.startsWith('--base=')) base = a.slice('--base='.length);
    else if (a.startsWith('--root=')) root = resolve(a.slice('--root='.length));
    else if (a === '--transitive') transitive = true;
    else throw new Error(`unknown argument ${a}; usage: check-compat [--base <rev>] [--root <dir>]`);
  }
  return { base, root, transitive };
}

function git(cwd: string, gitArgs: string[]): string {
  return execFileSync('git', gitArgs, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Files under the schemas folder in the base revision, relative to it. */
function baseFiles(dir: string, base: string): string[] {
  return git(dir, ['ls-tree', '-r', '--name-only', base, '--', '.']).split('\n').filter((f) => f.endsWith('.avsc'));
}

function baseText(dir: string, base: string, file: string): string | undefined {
  try {
    return git(dir, ['show', `${base}:./${file}`]);
  } catch {
    return undefined;
  }
}

/** The distinct texts of a file in every commit reachable from `base` that touched it, newest first. */
function historyTexts(dir: string, base: string, file: string): string[] {
  const commits = git(dir, ['log', '--format=%H', base, '--', file]).split('\n').filter(Boolean);
  const texts = new Set<string>();
  for (const c of commits) {
    const text = baseText(dir, c, file);
    if (text !== undefined) texts.add(text);
  }
  return [...texts];
}

function main(): number {
  let opts: { base: string; root: string; transitive: boolean };
  try {
    opts = args(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const dir = join(opts.root, 'contracts', 'schemas');
  if (!existsSync(dir)) {
    console.error(`no contracts/schemas folder under ${opts.root}`);
    return 2;
  }
  let before: string[];
  try {
    git(dir, ['rev-parse', '--verify', '--quiet', `${opts.base}^{commit}`]);
    before = baseFiles(dir, opts.base);
  } catch (e) {
    console.error(`cannot read the base revision ${opts.base} in ${opts.root}: ${(e as Error).message.trim()}`);
    return 2;
  }
  const now = listSchemaFiles(dir);
  let failed = 0;
  for (const file of now) {
    const oldText = baseText(dir, opts.base, file);
    let verdict;
    try {
      const newJson: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      verdict = checkCompatibility(oldText === undefined ? undefined : JSON.parse(oldText), newJson);
      if (opts.transitive && verdict.status !== 'incompatible') {
        for (const older of historyTexts(dir, opts.base, file)) {
          const v = checkCompatibility(JSON.parse(older), newJson);
          if (v.status === 'incompatible') { verdict = { ...v, reasons: v.reasons.map((r) => `against an earlier committed version: ${r}`) }; break; }
        }
      }
    } catch (e) {
      verdict = { status: 'incompatible' as const, reasons: [`not JSON: ${(e as Error).message}`] };
    }
    if (verdict.status === 'incompatible') {
      failed++;
      console.log(`INCOMPATIBLE: ${file}: ${verdict.reasons.join('; ')}`);
    } else console.log(`${verdict.status} ${file}`);
  }
  for (const file of before.filter((f) => !now.includes(f))) {
    failed++;
    console.log(`INCOMPATIBLE: ${file}: the schema was removed, so data written with it could no longer be read`);
  }
  console.log(failed ? `${failed} incompatible schema(s) against ${opts.base}` : `all ${now.length} schemas are backward compatible with ${opts.base}`);
  return failed ? 1 : 0;
}

process.exitCode = main();
