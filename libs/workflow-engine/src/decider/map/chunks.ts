/**
 * A persistent list in fixed-size chunks: reading is O(1); `setAt` copies the chunk list (n / 128
 * references) and one chunk (128), never the whole list, and shares every other chunk, so folding
 * an event about one of 10,000 items costs about 200 copied references, not 10,000. Plain arrays,
 * so the state stays JSON (a JSON round trip gives an equal value).
 * @internal
 */
export type Chunked<T> = readonly (readonly (T | null)[])[];

/** Items per chunk. @internal */
export const CHUNK_SIZE = 128;

/** A list of `length` nulls. @internal */
export function emptyChunks<T>(length: number): Chunked<T> {
  const chunks: (T | null)[][] = [];
  for (let start = 0; start < length; start += CHUNK_SIZE) chunks.push(new Array<T | null>(Math.min(CHUNK_SIZE, length - start)).fill(null));
  return chunks;
}

/** The entry at `index` (null when unset or out of range). @internal */
export function getAt<T>(list: Chunked<T>, index: number): T | null {
  return list[Math.floor(index / CHUNK_SIZE)]?.[index % CHUNK_SIZE] ?? null;
}

/** A copy of `list` with `index` set to `value`, sharing the untouched chunks. @internal */
export function setAt<T>(list: Chunked<T>, index: number, value: T): Chunked<T> {
  const c = Math.floor(index / CHUNK_SIZE);
  const chunk = [...list[c]!];
  chunk[index % CHUNK_SIZE] = value;
  const copy = [...list];
  copy[c] = chunk;
  return copy;
}

/** Every set entry with its index, in index order. @internal */
export function* entries<T>(list: Chunked<T>): Generator<[number, T]> {
  for (let c = 0; c < list.length; c++) {
    const chunk = list[c]!;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] !== null) yield [c * CHUNK_SIZE + i, chunk[i]!];
  }
}
