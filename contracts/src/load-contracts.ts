/**
 * Loads every `.avsc` under `contracts/schemas` into a schema catalog, at runtime, from disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { AvroSchemaError, type DecodeLimits, SchemaCatalog } from '@baton/avro';
import { stepSchemaNames, STEP_TYPE_PATTERN } from './contract-names';
import { ContractLayoutError } from './errors';

/** The `contracts/schemas` folder of this package, wherever the process runs from. */
export const CONTRACTS_SCHEMA_DIR: string = resolve(__dirname, '..', 'schemas');

/** Every `.avsc` file under a folder, as paths relative to it with `/` separators, sorted. */
export function listSchemaFiles(dir: string = CONTRACTS_SCHEMA_DIR): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) visit(join(d, e.name));
      else if (e.name.endsWith('.avsc')) out.push(relative(dir, join(d, e.name)).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * The full name a contract file must declare, by the folder convention:
 * `steps/<type>/input.avsc` declares `baton.steps.<type with _>.Input` (`output.avsc`: `.Output`);
 * any other `<Name>.avsc` declares a record whose short name is `<Name>`.
 * @returns the expected full name, or for non-step files the expected short name prefixed by `*.`
 */
function expectedName(file: string): string {
  const step = /^steps\/([^/]+)\/(input|output)\.avsc$/.exec(file);
  if (step) {
    const type = step[1]!;
    if (!STEP_TYPE_PATTERN.test(type)) throw new ContractLayoutError(file, `"${type}" is not a step type (lowercase words joined by dots)`);
    return stepSchemaNames(type)[step[2] as 'input' | 'output'];
  }
  if (file.startsWith('steps/')) throw new ContractLayoutError(file, 'a step contract is steps/<type>/input.avsc or output.avsc');
  return `*.${file.slice(file.lastIndexOf('/') + 1, -'.avsc'.length)}`;
}

/** Options of {@link loadContracts}. */
export interface LoadContractsOptions {
  /** The schemas folder (default: this package's `contracts/schemas`). */
  dir?: string;
  /** Decode limits for the catalog (default max 8 MiB per message). */
  limits?: DecodeLimits;
  /** Register into this catalog instead of a new one (e.g. a step team's own folder on top of the built-in contracts). */
  catalog?: SchemaCatalog;
}

/**
 * Reads every `.avsc` under `contracts/schemas`, or under `options.dir` laid out the same way
 * (one named schema per file), into a new catalog (or `options.catalog`).
 *
 * @throws ContractLayoutError when a file is not JSON, or declares a name other than its path implies
 * @throws AvroSchemaError when avsc refuses a schema (e.g. an ambiguous union)
 */
export function loadContracts(options: LoadContractsOptions = {}): SchemaCatalog {
  const dir = options.dir ?? CONTRACTS_SCHEMA_DIR;
  const catalog = options.catalog ?? new SchemaCatalog(options.limits);
  for (const file of listSchemaFiles(dir)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      throw new ContractLayoutError(file, `not JSON: ${(e as Error).message}`);
    }
    let entry;
    try {
      entry = catalog.register(json as object);
    } catch (e) {
      if (e instanceof AvroSchemaError) throw new ContractLayoutError(file, e.message);
      throw e;
    }
    const expected = expectedName(file);
    const ok = expected.startsWith('*.') ? entry.name.endsWith(expected.slice(1)) || entry.name === expected.slice(2) : entry.name === expected;
    if (!ok) throw new ContractLayoutError(file, `declares ${entry.name}, but its path implies ${expected.startsWith('*.') ? `a name ending in ${expected.slice(2)}` : expected}`);
  }
  return catalog;
}
