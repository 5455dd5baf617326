import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** A PATH holding only the few tools the script needs before it looks for Java. */
function pathWithout(tools: string[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-path-'));
  for (const t of tools) {
    const found = spawnSync('bash', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(dir, t));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('the local Kafka script', () => {
  it('says in one line what to install when Java is missing, and starts nothing', () => {
    const { dir, cleanup } = pathWithout(['dirname', 'ls', 'cat']);
    try {
      const r = spawnSync('/bin/bash', [join(root, 'deploy/local/kafka.sh'), 'start'], {
        encoding: 'utf8', env: { PATH: dir, BATON_HOME: join(dir, 'home'), BATON_KAFKA_PORT: '39092' },
      });
      assert.equal(r.status, 3, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^kafka: Java 17 or newer is needed .*install it/);
    } finally {
      cleanup();
    }
  });

  it('reports a broker that is not running with a non-zero status', () => {
    const r = spawnSync('bash', [join(root, 'deploy/local/kafka.sh'), 'status'], {
      encoding: 'utf8', env: { ...process.env, BATON_HOME: mkdtempSync(join(tmpdir(), 'baton-home-')) },
    });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /kafka: not running/);
  });
});
