import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The YAML of a named example in libs/workflow-engine/README.md, so that the documented examples
 * are the ones the specs run. An example is named either by its block's first line
 * (`# example: <name>`) or by an `<!-- example: <name> -->` comment before the block.
 * @throws {Error} when the README has no such example
 */
export function readmeExample(name: string): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  for (const block of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    if (block[1]!.startsWith(`# example: ${name}\n`)) return block[1]!;
  }
  const at = readme.indexOf(`<!-- example: ${name} -->`);
  const match = at < 0 ? null : /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  if (match) return match[1]!;
  throw new Error(`libs/workflow-engine/README.md has no example named '${name}' ('# example: ${name}' or '<!-- example: ${name} -->')`);
}
