import { before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import madge from 'madge';

const root = resolve(__dirname, '..');

/** Lints a file written for the purpose inside a project (Nx maps files on disk to projects), then removes it. */
async function lint(file: string, code: string): Promise<string[]> {
  const path = resolve(root, file.replace(/\.ts$/, `-${process.pid}.ts`));
  writeFileSync(path, code);
  try {
    const [result] = await new ESLint({ cwd: root }).lintFiles([path]);
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(path, { force: true });
  }
}

describe('module boundaries', () => {
  // The rule reads Nx's cached project graph and skips itself when there is none (a fresh clone).
  before(() => { execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], { cwd: root, stdio: 'ignore' }); });

  it('refuse kafkajs, Nest and TypeORM in the workflow engine', async () => {
    for (const banned of ['kafkajs', '@nestjs/common', 'typeorm', 'pg']) {
      const messages = await lint('libs/workflow-engine/src/leak.ts', `import * as x from '${banned}';\nexport const y = x;\n`);
      assert.ok(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries')), `${banned}: ${messages.join('; ')}`);
    }
  });

  it('refuse an I/O lib in the workflow engine, and allow the engine in a lib', async () => {
    const leak = await lint('libs/workflow-engine/src/leak.ts', "import { EventStore } from '@baton/event-store';\nexport const y = EventStore;\n");
    assert.ok(leak.some((m) => m.startsWith('@nx/enforce-module-boundaries')), leak.join('; '));
    const fine = await lint('libs/projections/src/fine.ts', "import { evolve } from '@baton/workflow-engine';\nexport const y = evolve;\n");
    assert.deepEqual(fine.filter((m) => m.startsWith('@nx/enforce-module-boundaries')), []);
  });

  it('find no import circle in libs/ (madge over the TypeScript sources)', async () => {
    const graph = await madge(resolve(root, 'libs'), {
      fileExtensions: ['ts'], tsConfig: resolve(root, 'tsconfig.base.json'), excludeRegExp: [/\.spec\.ts$/, /node_modules/],
      detectiveOptions: { ts: { skipTypeImports: false } },
    });
    assert.ok(Object.keys(graph.obj()).length > 100, 'madge read the libraries');
    assert.deepEqual(graph.circular(), [], 'import circles');
  });
});
