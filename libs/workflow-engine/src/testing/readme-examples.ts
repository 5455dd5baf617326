import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The YAML block that follows `<!-- example: <name> -->` in libs/workflow-engine/README.md, so a
 * test loads exactly what the documentation shows.
 * @throws {Error} when the README has no such example
 */
export function readmeExample(name: string): string {
  const text = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const at = text.indexOf(`<!-- example: ${name} -->`);
  if (at < 0) throw new Error(`libs/workflow-engine/README.md has no example named '${name}'`);
  const match = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
  if (!match) throw new Error(`the example '${name}' in libs/workflow-engine/README.md has no yaml block`);
  return match[1]!;
}
