/**
 * A bounded walk over an Avro binary body (Avro specification 1.11, "Binary Encoding") that
 * checks every length, count and index against the bytes actually present, before avsc reads
 * it. avsc does not bound block counts: an array header claiming 2^31 items makes it loop and
 * grow an array 2^31 times even when the buffer holds ten bytes. This walk allocates nothing and
 * runs in time linear in the buffer length (plus at most `maxEmptyItems` zero-byte items).
 */
import { type Type } from 'avsc';
import { AvroDecodeError } from './errors';

interface Walk {
  buf: Buffer;
  pos: number;
  emptyItemsLeft: number;
  fingerprint: bigint;
}

function truncated(w: Walk, what: string): never {
  throw new AvroDecodeError('truncated-body', `the body ends inside ${what} at byte ${w.pos} of ${w.buf.length}`, w.fingerprint);
}

function invalid(w: Walk, what: string): never {
  throw new AvroDecodeError('invalid-body', `${what} at byte ${w.pos}`, w.fingerprint);
}

/** Reads a zig-zag varint of at most `maxBytes` bytes (5 for int, 10 for long) as a number (exact to 2^53). */
function readVarint(w: Walk, maxBytes: number, what: string): number {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (w.pos >= w.buf.length) truncated(w, what);
    const b = w.buf[w.pos++]!;
    n += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  }
  return invalid(w, `${what}: a varint longer than ${maxBytes} bytes`);
}

function skipBytes(w: Walk, n: number, what: string): void {
  if (n < 0) invalid(w, `${what}: negative length ${n}`);
  if (n > w.buf.length - w.pos) truncated(w, `${what} (length ${n}, ${w.buf.length - w.pos} bytes left)`);
  w.pos += n;
}

const minSizes = new WeakMap<Type, number>();

/** The fewest bytes a value of the type can take (0 for null, empty records, fixed(0)). */
function minSize(type: Type, visiting = new Set<Type>()): number {
  const known = minSizes.get(type);
  if (known !== undefined) return known;
  if (visiting.has(type)) return 1; // A recursive record needs a union to end, hence at least one byte.
  visiting.add(type);
  const t = type as unknown as { typeName: string; size?: number; fields?: Array<{ type: Type }>; underlyingType?: Type };
  let n: number;
  switch (t.typeName) {
    case 'null': n = 0; break;
    case 'float': n = 4; break;
    case 'double': n = 8; break;
    case 'fixed': n = t.size ?? 0; break;
    case 'record': case 'error': n = (t.fields ?? []).reduce((s, f) => s + minSize(f.type, visiting), 0); break;
    default:
      n = t.typeName.startsWith('logical:') && t.underlyingType ? minSize(t.underlyingType, visiting) : 1;
  }
  visiting.delete(type);
  minSizes.set(type, n);
  return n;
}

function walkBlocks(w: Walk, item: (i: number) => void, itemType: Type | undefined, what: string): void {
  const min = itemType ? minSize(itemType) : 1;
  for (;;) {
    let n = readVarint(w, 10, `${what} block count`);
    if (n === 0) return;
    if (n < 0) {
      n = -n;
      const size = readVarint(w, 10, `${what} block size`);
      if (size < 0) invalid(w, `${what}: negative block size ${size}`);
    }
    if (min > 0) {
      if (n * min > w.buf.length - w.pos) truncated(w, `${what} (a block of ${n} items, ${w.buf.length - w.pos} bytes left)`);
    } else {
      if (n > w.emptyItemsLeft) invalid(w, `${what}: more zero-byte items than the limit`);
      w.emptyItemsLeft -= n;
    }
    for (let i = 0; i < n; i++) item(i);
  }
}

function walk(w: Walk, type: Type, path: string): void {
  const t = type as unknown as {
    typeName: string; size?: number; symbols?: string[]; fields?: Array<{ name: string; type: Type }>;
    types?: Type[]; itemsType?: Type; valuesType?: Type; underlyingType?: Type;
  };
  const at = path || 'the value';
  switch (t.typeName) {
    case 'null': return;
    case 'boolean': {
      if (w.pos >= w.buf.length) truncated(w, at);
      const b = w.buf[w.pos++]!;
      if (b > 1) invalid(w, `${at}: boolean byte ${b}`);
      return;
    }
    case 'int': {
      const n = readVarint(w, 5, at);
      if (n < -2147483648 || n > 2147483647) invalid(w, `${at}: int out of range`);
      return;
    }
    case 'long': readVarint(w, 10, at); return;
    case 'float': skipBytes(w, 4, at); return;
    case 'double': skipBytes(w, 8, at); return;
    case 'bytes': case 'string': skipBytes(w, readVarint(w, 10, `${at} length`), at); return;
    case 'fixed': skipBytes(w, t.size ?? 0, at); return;
    case 'enum': {
      const i = readVarint(w, 5, at);
      if (i < 0 || i >= (t.symbols ?? []).length) invalid(w, `${at}: enum index ${i} of ${(t.symbols ?? []).length} symbols`);
      return;
    }
    case 'record': case 'error':
      for (const f of t.fields ?? []) walk(w, f.type, path ? `${path}.${f.name}` : f.name);
      return;
    case 'array':
      walkBlocks(w, (i) => walk(w, t.itemsType!, `${path}[${i}]`), t.itemsType, at);
      return;
    case 'map':
      walkBlocks(w, () => { skipBytes(w, readVarint(w, 10, `${at} key length`), `${at} key`); walk(w, t.valuesType!, `${path}{}`); }, undefined, at);
      return;
    default:
      if (t.typeName.startsWith('union')) {
        const i = readVarint(w, 10, `${at} union index`);
        const branches = t.types ?? [];
        if (i < 0 || i >= branches.length) invalid(w, `${at}: union index ${i} of ${branches.length} branches`);
        walk(w, branches[i]!, path);
        return;
      }
      if (t.underlyingType) { walk(w, t.underlyingType, path); return; }
      invalid(w, `${at}: unsupported type ${t.typeName}`);
  }
}

/**
 * Checks that `buf[offset..]` holds exactly one value of the writer type.
 *
 * @param maxEmptyItems - how many zero-byte array/map items (e.g. `null`s) a body may claim in all
 * @throws AvroDecodeError `truncated-body`, `trailing-bytes` or `invalid-body`
 */
export function checkBody(type: Type, buf: Buffer, offset: number, fingerprint: bigint, maxEmptyItems: number): void {
  const w: Walk = { buf, pos: offset, emptyItemsLeft: maxEmptyItems, fingerprint };
  walk(w, type, '');
  if (w.pos < buf.length) {
    throw new AvroDecodeError('trailing-bytes', `${buf.length - w.pos} bytes remain after the body, which ends at byte ${w.pos}`, fingerprint);
  }
}
