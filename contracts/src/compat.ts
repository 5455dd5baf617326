/**
 * Backward compatibility of an Avro schema change (Avro specification 1.11, "Schema Resolution"):
 * the NEW schema must be able to read data written with the OLD one, and keep its full name.
 */
import { type Type } from 'avsc';
import { createType, typeLabel } from '@baton/avro';

/** The verdict on one schema. */
export type CompatVerdict =
  | { status: 'ok' }
  | { status: 'new' }
  | { status: 'incompatible'; reasons: string[] };

interface FieldLike { name: string; type: Type; aliases?: string[]; defaultValue(): unknown }
interface TypeLike { typeName: string; name?: string; fields?: FieldLike[]; itemsType?: Type; valuesType?: Type; types?: Type[] }

const view = (t: Type): TypeLike => t as unknown as TypeLike;

function label(t: Type): string {
  return t.name ?? JSON.stringify(t.schema());
}

function canRead(reader: Type, writer: Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Why `reader` cannot read `writer`, one reason per offending field path (`path` names the place). */
function diagnose(reader: Type, writer: Type, path: string): string[] {
  const r = view(reader);
  const w = view(writer);
  if (canRead(reader, writer) === undefined) return [];
  const at = path || typeLabel(reader);
  if (r.typeName === 'record' && w.typeName === 'record') {
    if (reader.name !== writer.name) return [`${at}: record ${writer.name} became ${reader.name}`];
    const reasons: string[] = [];
    for (const f of r.fields ?? []) {
      const p = path ? `${path}.${f.name}` : `${reader.name}.${f.name}`;
      const old = (w.fields ?? []).find((o) => o.name === f.name || (f.aliases ?? []).includes(o.name));
      if (!old) {
        if (f.defaultValue() === undefined) reasons.push(`field ${p} was added without a default`);
        continue;
      }
      reasons.push(...diagnose(f.type, old.type, p));
    }
    return reasons;
  }
  if (r.typeName === 'array' && w.typeName === 'array') return diagnose(r.itemsType!, w.itemsType!, `${at}[]`);
  if (r.typeName === 'map' && w.typeName === 'map') return diagnose(r.valuesType!, w.valuesType!, `${at}{}`);
  const readerBranches = r.typeName.startsWith('union') ? r.types ?? [] : [reader];
  const writerBranches = w.typeName.startsWith('union') ? w.types ?? [] : [writer];
  if (readerBranches.length > 1 || writerBranches.length > 1) {
    const reasons: string[] = [];
    for (const wb of writerBranches) {
      if (!readerBranches.some((rb) => canRead(rb, wb) === undefined)) {
        const same = readerBranches.find((rb) => rb.typeName === wb.typeName && rb.name === wb.name);
        reasons.push(...(same ? diagnose(same, wb, at) : [`field ${at}: old values of type ${label(wb)} cannot be read as ${label(reader)}`]));
      }
    }
    if (reasons.length > 0) return reasons;
  }
  if (r.typeName === 'enum' && w.typeName === 'enum') {
    const symbols = new Set((reader as unknown as { symbols: string[] }).symbols);
    const lost = (writer as unknown as { symbols: string[] }).symbols.filter((s) => !symbols.has(s));
    if (lost.length > 0) return [`field ${at}: enum ${reader.name} lost the symbols ${lost.join(', ')} (and has no default)`];
  }
  return [`field ${at}: type changed from ${label(writer)} to ${label(reader)} (${canRead(reader, writer)})`];
}

/**
 * Checks that `newSchema` can read data written with `oldSchema` and keeps its full name.
 * @param oldSchema - the schema JSON in the base revision, or undefined when the file is new
 */
export function checkCompatibility(oldSchema: unknown, newSchema: unknown): CompatVerdict {
  if (oldSchema === undefined) return { status: 'new' };
  let oldType: Type;
  let newType: Type;
  try {
    newType = createType(newSchema as object);
  } catch (e) {
    return { status: 'incompatible', reasons: [`the new schema is invalid: ${(e as Error).message}`] };
  }
  try {
    oldType = createType(oldSchema as object);
  } catch {
    return { status: 'ok' }; // The old schema did not even parse: nothing valid was written with it.
  }
  if (oldType.name !== newType.name) {
    return { status: 'incompatible', reasons: [`the full name changed from ${oldType.name} to ${newType.name}`] };
  }
  const error = canRead(newType, oldType);
  if (error === undefined) return { status: 'ok' };
  const reasons = diagnose(newType, oldType, '');
  return { status: 'incompatible', reasons: reasons.length > 0 ? reasons : [error] };
}
