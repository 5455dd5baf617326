import { readFileSync } from 'node:fs';
import { CliError } from './api-client';

/**
 * A JSON argument given inline (`'{"n":1}'`) or as `@path` to a file holding it.
 * @throws CliError naming the option when the file cannot be read or the text is not JSON
 */
export function readJsonArg(option: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(`${option}: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${option}: not JSON: ${(error as Error).message}`);
  }
}
