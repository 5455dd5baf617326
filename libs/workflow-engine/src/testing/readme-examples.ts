import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The YAML of the example in libs/workflow-engine/README.md whose block starts with `# example: <name>`,
 * so that the documented examples are the ones the specs run.
 * @throws {Error} when the README has no such example
 */
export function readmeExample(name: string): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  for (const block of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    if (block[1]!.startsWith(`# example: ${name}\n`)) return block[1]!;
  }
  throw new Error(`libs/workflow-engine/README.md has no yaml block starting with '# example: ${name}'`);
}
