import { createHash } from 'node:crypto';

/** One stored payload: its bytes and their lowercase hex SHA-256, the key it is stored under. */
export interface Claim {
  sha256: string;
  content: Buffer;
}

/** Anything that runs one SQL statement (a pg `Pool`, or a transaction that the write then joins). */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Where claim-checked payloads live: content-addressed (key = SHA-256 of the bytes), written once,
 * never changed, so a second `put` of the same bytes is harmless and readers may cache freely.
 * Implementations: `PostgresClaimStore` (the `claims` table) and `FileClaimStore` (a directory);
 * a bucket (S3, GCS) would be a third, with the same two calls.
 */
export interface ClaimStore {
  /**
   * Stores each claim (nothing happens for one already stored).
   * @param within - a Postgres transaction to join, so the claims commit with what refers to them
   *   (the orchestrator's outbox rows); stores that are not Postgres ignore it
   */
  put(claims: readonly Claim[], within?: SqlQueryable): Promise<void>;
  /**
   * The bytes stored under `sha256`, checked against it.
   * @throws ClaimNotFound when nothing is stored under it; ClaimCorrupt when the bytes do not hash to it
   */
  get(sha256: string): Promise<Buffer>;
  /** Releases what the store holds open (a pool it created). */
  close?(): Promise<void>;
}

/** A claim reference names a payload the store does not have. */
export class ClaimNotFound extends Error {
  override readonly name = 'ClaimNotFound';
  constructor(readonly sha256: string, where: string) {
    super(`no claim ${sha256} in ${where}`);
  }
}

/** A stored payload does not hash to its key (a damaged file or row). */
export class ClaimCorrupt extends Error {
  override readonly name = 'ClaimCorrupt';
  constructor(readonly sha256: string, actual: string) {
    super(`claim ${sha256} holds bytes whose SHA-256 is ${actual}`);
  }
}

/** Lowercase hex SHA-256 of `content`. */
export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A claim of `content`. */
export function claimOf(content: Buffer): Claim {
  return { sha256: sha256Hex(content), content };
}

/** @throws ClaimCorrupt when `content` does not hash to `sha256` */
export function verified(sha256: string, content: Buffer): Buffer {
  const actual = sha256Hex(content);
  if (actual !== sha256) throw new ClaimCorrupt(sha256, actual);
  return content;
}
