import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The YAML block that follows `<!-- example: <name> -->` in libs/workflow-engine/README.md, so a
 * spec runs the very example the documentation shows.
 * @throws Error when the README has no such example
 */
export function readmeExample(name: string): string {
  const text = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const found = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!found) throw new Error(`libs/workflow-engine/README.md has no YAML example '${name}'`);
  return found[1]!;
}
