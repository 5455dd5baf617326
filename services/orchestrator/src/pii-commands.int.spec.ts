import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LocalFileKeySource, PiiVault, REDACTED } from '@baton/pii';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'baton-pii-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the operator shreds a subject from the command line', () => {
  it('makes that case\'s PII read as redacted and leaves another case readable', async () => {
    const vault = () => new PiiVault(new LocalFileKeySource(dir));
    const token = await vault().encrypt('case-shred', 'ivan@example.com');
    const kept = await vault().encrypt('case-kept', 'judy@example.com');
    const env = { ...process.env, BATON_PII_KEYS_DIR: dir, SWC_NODE_PROJECT: join(root, 'tsconfig.json') };
    const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', 'services/orchestrator/src/cli.ts', 'pii', 'shred', 'case-shred'], { cwd: root, env });
    assert.match(stdout, /shredded the data key of 'case-shred'/);
    assert.equal(await vault().decrypt('case-shred', token), REDACTED);
    assert.equal(await vault().decrypt('case-kept', kept), 'judy@example.com');
    const again = await run(process.execPath, ['-r', '@swc-node/register', 'services/orchestrator/src/cli.ts', 'pii', 'shred', 'case-shred'], { cwd: root, env });
    assert.match(again.stdout, /has no data key/);
  });
});
