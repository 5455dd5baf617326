import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinition } from '@baton/workflow-engine';
import type { Orchestrator } from '../orchestrator';
import { createWorld, startOrchestrator, waitFor, type World } from '../testing/harness';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('files triggers on a real directory (real Kafka and Postgres)', () => {
  let world: World;
  let orchestrator: Orchestrator;
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'landing-'));
    world = await createWorld('files', ['noop']);
    world.config.filePollMs = 100;
    world.config.fileStableMs = 1000;
    orchestrator = await startOrchestrator(world);
    // The YAML of libs/workflow-engine/README.md, "Triggers: file landings" (with this test's directory).
    await orchestrator.registerWorkflow(loadDefinition(`
name: mail-drop
version: 1
triggers:
  - files: { dir: ${JSON.stringify(dir)}, pattern: "*.eml" }
steps:
  parse: { type: noop }
`));
    await orchestrator.files.sync();
  });

  after(async () => {
    await orchestrator?.stop();
    await world?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The inputs of the cases the trigger started, by content hash. */
  async function started(): Promise<{ key: string; input: { path: string; name: string; size: number; sha256: string } }[]> {
    const { rows } = await orchestrator.store.pool.query<{ key: string; input: { path: string; name: string; size: number; sha256: string } }>(
      `SELECT data->>'key' AS key, data->'input' AS input FROM events WHERE event_type = 'CaseStarted' AND data->>'triggeredBy' = 'file' ORDER BY global_position`);
    return rows;
  }

  it('starts one case for a file dropped twice, and for the same content under another name', async () => {
    const content = 'From: a@example.com\nSubject: hello\n\nbody\n';
    await writeFile(join(dir, '.first.eml.tmp'), content);
    await rename(join(dir, '.first.eml.tmp'), join(dir, 'first.eml'));
    await writeFile(join(dir, 'ignored.txt'), 'not an .eml');
    const [one] = await waitFor(async () => ((await started()).length > 0 ? started() : undefined), 'the first case', 30_000);
    assert.deepEqual({ key: one!.key, name: one!.input.name, size: one!.input.size, sha256: one!.input.sha256, path: one!.input.path },
      { key: `file:${sha(content)}`, name: 'first.eml', size: Buffer.byteLength(content), sha256: sha(content), path: join(dir, 'first.eml') });
    await rm(join(dir, 'first.eml'));
    await writeFile(join(dir, 'first.eml'), content);
    await writeFile(join(dir, 'copy.eml'), content);
    await sleep(3000);
    assert.equal((await started()).length, 1, 'the same content started no second case');
  });

  it('starts a case for a file written slowly only once it is complete', async () => {
    const path = join(dir, 'slow.eml');
    let content = '';
    for (let i = 0; i < 15; i++) {
      const chunk = `line ${i} ${'x'.repeat(1000)}\n`;
      await appendFile(path, chunk);
      content += chunk;
      await sleep(150);
    }
    const slow = await waitFor(async () => (await started()).filter((c) => c.input.name === 'slow.eml')[0], 'the slow file\'s case', 30_000);
    assert.equal(slow.input.size, Buffer.byteLength(content));
    assert.equal(slow.input.sha256, sha(content), 'the case names the complete content');
    await sleep(1500);
    assert.equal((await started()).filter((c) => c.input.name === 'slow.eml').length, 1, 'no case for a part of it');
  });
});
