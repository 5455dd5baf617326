import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');

/** Writes a fault scenario's figures to `tmp/faults/<name>.json` (from the repository root) and logs them on one line. */
export function writeFigures(name: string, figures: object): void {
  mkdirSync(join(root, 'tmp', 'faults'), { recursive: true });
  writeFileSync(join(root, 'tmp', 'faults', `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`fault ${name}: ${JSON.stringify(figures)}`);
}
