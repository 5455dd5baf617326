/**
 * Generates TypeScript types from every schema under contracts/schemas with @ovotech/avro-ts,
 * into contracts/src/generated (committed). Run: `npm run contracts:gen`.
 *
 * The types match how `@baton/avro` reads and writes values (`AVSC_OPTIONS`): unions are unwrapped
 * (`null | string`), `long` and `timestamp-millis` are `number` (epoch milliseconds), `bytes` is
 * `Buffer`. Unions of several records (which avro-ts would wrap) are refused by the catalog.
 *
 * For each file it also exports explicit aliases: `baton/X.avsc` gives `X` and its nested named
 * types by short name; `steps/<type>/input.avsc` gives `<Type>Input` (e.g. `TextClassifyInput`) and
 * nested types as `<Type><Name>`. It then rewrites the marked block of contracts/src/index.ts that
 * re-exports them: Baton's own wire records (`baton/`) inside the namespace `Wire`
 * (`Wire.StepRequest`, `Wire.StepError`), written to `generated/wire.ts`, so that they never share
 * a name with the engine's domain types (`StepError`, `CaseEvent`, ...); step contracts by name.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { toTypeScript } from '@ovotech/avro-ts';
import { convertName } from '@ovotech/avro-ts/dist/helpers';
import { listSchemaFiles } from '../src/load-contracts';

// avro-ts calls deprecated TypeScript factory functions; their warnings say nothing about our schemas.
const load = createRequire(__filename);
for (const pkg of ['@ovotech/avro-ts', '@ovotech/ts-compose']) {
  // Each carries its own copy of typescript; silence that copy's deprecation log.
  const copy = load(load.resolve('typescript', { paths: [load.resolve(pkg)] })) as { Debug: { loggingHost: unknown } };
  copy.Debug.loggingHost = undefined;
}

const root = resolve(__dirname, '..');
const schemaDir = join(root, 'schemas');
const outDir = join(root, 'src', 'generated');
const indexFile = join(root, 'src', 'index.ts');
const BEGIN = '// <generated-types> (written by contracts/tools/generate.ts)';
const END = '// </generated-types>';

const pascal = (s: string): string => s.split(/[._-]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
/** avro-ts's name of a namespace: `baton.steps.text_classify` -> `BatonStepsText_classify`. */
const tsNamespace = (ns: string): string => convertName(ns);

interface Named { full: string; short: string; namespace: string }

/** Named types (record, enum, fixed) defined in a schema, with their full names, in definition order. */
function namedTypes(schema: unknown, namespace: string, out: Named[] = []): Named[] {
  if (Array.isArray(schema)) { for (const s of schema) namedTypes(s, namespace, out); return out; }
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (['record', 'error', 'enum', 'fixed'].includes(s['type'] as string)) {
    const name = String(s['name']);
    const ns = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : typeof s['namespace'] === 'string' ? s['namespace'] : namespace;
    const short = name.slice(name.lastIndexOf('.') + 1);
    out.push({ full: `${ns}.${short}`, short, namespace: ns });
    for (const f of (s['fields'] as Array<{ type: unknown }> | undefined) ?? []) namedTypes(f.type, ns, out);
    return out;
  }
  if (s['type'] === 'array') return namedTypes(s['items'], namespace, out);
  if (s['type'] === 'map') return namedTypes(s['values'], namespace, out);
  if (typeof s['type'] === 'object') return namedTypes(s['type'], namespace, out);
  return out;
}

function aliasPrefix(file: string): string {
  const step = /^steps\/([^/]+)\/(input|output)\.avsc$/.exec(file);
  return step ? pascal(step[1]!) : '';
}

function main(): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const exports: Array<{ module: string; names: string[] }> = [];
  const seen = new Map<string, string>();
  for (const file of listSchemaFiles(schemaDir)) {
    const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
    const module = file.replace(/\.avsc$/, '').replace(/[/.]/g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    const body = toTypeScript(schema, { logicalTypes: { 'timestamp-millis': 'number' } });
    const step = /^steps\/([^/]+)\/(input|output)\.avsc$/.exec(file);
    const names = namedTypes(schema, '');
    const aliases: string[] = [];
    const lines: string[] = [];
    names.forEach((n, i) => {
      // The file's own record of a step contract is `<Type>Input`/`<Type>Output`; nested types `<Type><Name>`.
      const alias = step && i === 0 ? `${pascal(step[1]!)}${pascal(step[2]!)}` : `${aliasPrefix(file)}${n.short}`;
      if (seen.has(alias) && seen.get(alias) !== n.full) throw new Error(`two schemas would export the type ${alias}: ${seen.get(alias)} and ${n.full}`);
      if (seen.has(alias)) return;
      seen.set(alias, n.full);
      aliases.push(alias);
      if (!new RegExp(`^export type ${alias} = `, 'm').test(body)) lines.push(`export type ${alias} = ${tsNamespace(n.namespace)}.${n.short};`);
    });
    const header = `// Generated by contracts/tools/generate.ts from contracts/schemas/${file}. Do not edit: change the schema and run \`npm run contracts:gen\`.\n`;
    const text = `${header}${body.trimEnd()}\n${lines.length ? `\n${lines.join('\n')}\n` : ''}`;
    writeFileSync(join(outDir, `${module}.ts`), text);
    exports.push({ module, names: aliases });
  }
  const line = (e: { module: string; names: string[] }, from: string) => `export type { ${e.names.join(', ')} } from '${from}${e.module}';`;
  const wire = exports.filter((e) => e.module.startsWith('baton-'));
  writeFileSync(join(outDir, 'wire.ts'), `// Generated by contracts/tools/generate.ts: Baton's wire records, exported as the namespace \`Wire\` of @baton/contracts.\n${wire.map((e) => line(e, './')).join('\n')}\n`);
  const reexports = [
    "export type * as Wire from './generated/wire';",
    ...exports.filter((e) => !e.module.startsWith('baton-')).map((e) => line(e, './generated/')),
  ];
  const index = readFileSync(indexFile, 'utf8');
  const start = index.indexOf(BEGIN);
  const end = index.indexOf(END);
  if (start < 0 || end < start) throw new Error(`contracts/src/index.ts lacks the markers ${BEGIN} ... ${END}`);
  writeFileSync(indexFile, `${index.slice(0, start + BEGIN.length)}\n${reexports.join('\n')}\n${index.slice(end)}`);
  console.log(`generated ${exports.length} files in contracts/src/generated (${readdirSync(outDir).length} on disk)`);
}

main();
