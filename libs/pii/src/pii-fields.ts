import { isPiiToken, REDACTED, type PiiVault } from './pii-vault';

/** The permission that lets a principal read PII in clear (mapped to roles by the gateway's RBAC). */
export const PII_READ_PERMISSION = 'pii:read';

/** A path to a PII field in a decoded record: field names, `[]` for every item of an array. */
export type PiiPath = readonly string[];

type AvroSchema = string | AvroSchema[] | { type: unknown; fields?: { name: string; type: AvroSchema; pii?: boolean }[]; items?: AvroSchema; name?: string };

/**
 * The paths of every field marked `"pii": true` in an Avro schema (JSON), through nested records,
 * unions (`["null", ...]`) and arrays. Avro's Parsing Canonical Form drops such custom attributes,
 * so marking a field changes no fingerprint.
 * @example piiPaths({ type: 'record', name: 'Lead', fields: [{ name: 'email', type: 'string', pii: true }] }) // [['email']]
 */
export function piiPaths(schema: AvroSchema, named = new Map<string, AvroSchema>(), at: string[] = []): PiiPath[] {
  if (typeof schema === 'string') {
    const ref = named.get(schema);
    return ref && !at.includes(`@${schema}`) ? piiPaths(ref, named, [...at, `@${schema}`]).map((p) => p.filter((s) => !s.startsWith('@'))) : [];
  }
  if (Array.isArray(schema)) return schema.flatMap((branch) => piiPaths(branch, named, at));
  if (schema.type === 'array' && schema.items !== undefined) return piiPaths(schema.items, named, [...at, '[]']);
  if (schema.type === 'record' && schema.fields) {
    if (schema.name) named.set(schema.name, schema);
    return schema.fields.flatMap((f) => (f.pii ? [[...at, f.name].filter((s) => !s.startsWith('@'))] : piiPaths(f.type, named, [...at, f.name])));
  }
  if (typeof schema.type === 'object' && schema.type !== null) return piiPaths(schema.type as AvroSchema, named, at);
  return [];
}

/** Applies `fn` to every string at `path` in `value` (a plain decoded record; a marked array of strings: each item), returning a copy. */
async function mapAt(value: unknown, path: PiiPath, fn: (s: string) => Promise<string>): Promise<unknown> {
  if (path.length === 0) {
    if (Array.isArray(value)) return Promise.all(value.map((v) => (typeof v === 'string' ? fn(v) : v)));
    return typeof value === 'string' ? fn(value) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  if (head === '[]') return Array.isArray(value) ? Promise.all(value.map((v) => mapAt(v, rest, fn))) : value;
  const record = value as Record<string, unknown>;
  if (!(head! in record)) return value;
  return { ...record, [head!]: await mapAt(record[head!], rest, fn) };
}

/** A copy of `value` with every PII field at `paths` encrypted for `subject` (tokens left as they are). */
export async function encryptPii(vault: PiiVault, subject: string, paths: readonly PiiPath[], value: unknown): Promise<unknown> {
  let out = value;
  for (const path of paths) out = await mapAt(out, path, async (s) => (isPiiToken(s) ? s : vault.encrypt(subject, s)));
  return out;
}

/**
 * What `permissions` may see of `value`: with {@link PII_READ_PERMISSION} the PII fields decrypted
 * ({@link REDACTED} where the subject was shredded), without it every PII field {@link REDACTED}.
 * The gateway calls this before it answers with case data.
 */
export async function revealPii(vault: PiiVault, subject: string, paths: readonly PiiPath[], value: unknown, permissions: readonly string[]): Promise<unknown> {
  const allowed = permissions.includes(PII_READ_PERMISSION);
  let out = value;
  for (const path of paths) out = await mapAt(out, path, async (s) => (!isPiiToken(s) ? s : allowed ? vault.decrypt(subject, s) : REDACTED));
  return out;
}
