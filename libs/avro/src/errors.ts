/**
 * Typed errors of `@baton/avro`. Each message names its cause and its context.
 */

/** Why a buffer could not be decoded. */
export type AvroDecodeCause =
  /** Longer than the configured maximum (default 8 MiB); refused before reading. */
  | 'too-large'
  /** Shorter than the 10-byte single-object header. */
  | 'too-short'
  /** Does not start with the single-object marker `C3 01`. */
  | 'bad-marker'
  /** The header's fingerprint names no schema known to the reader. */
  | 'unknown-fingerprint'
  /** The body ends before the writer schema says it should. */
  | 'truncated-body'
  /** Bytes remain after the body the writer schema describes. */
  | 'trailing-bytes'
  /** The body is not valid for the writer schema (bad varint, union or enum index, negative length, a value avsc refuses). */
  | 'invalid-body'
  /** The reader schema cannot read the writer schema (schema resolution failed). */
  | 'incompatible-schema';

/** A buffer could not be decoded as an Avro single-object message; `cause` says why. */
export class AvroDecodeError extends Error {
  override readonly name = 'AvroDecodeError';
  /** Why the buffer could not be decoded. */
  override readonly cause: AvroDecodeCause;
  /** The writer fingerprint from the header, when the header could be read. */
  readonly fingerprint: bigint | undefined;

  constructor(cause: AvroDecodeCause, detail: string, fingerprint?: bigint) {
    super(`cannot decode Avro single-object message (${cause}): ${detail}`);
    this.cause = cause;
    this.fingerprint = fingerprint;
  }
}

/** One reason a value does not match its schema. */
export interface AvroFieldProblem {
  /** Dotted path of the offending field, `''` for the value itself (e.g. `metering.inputTokens`, `to.2`). */
  path: string;
  /** The schema the value should have matched, e.g. `"long"` or `["null","string"]`. */
  expected: string;
  /** The offending value, rendered short. */
  actual: string;
}

/** A value could not be encoded because it does not match its schema; names every offending field path. */
export class AvroEncodeError extends Error {
  override readonly name = 'AvroEncodeError';
  /** The schema's full name (or type name when anonymous). */
  readonly schema: string;
  /** The offending fields. */
  readonly problems: readonly AvroFieldProblem[];

  constructor(schema: string, problems: readonly AvroFieldProblem[]) {
    const list = problems.map((p) => `${p.path || '(value)'}: expected ${p.expected}, got ${p.actual}`).join('; ');
    super(`cannot encode a value as ${schema}: ${list || 'invalid value'}`);
    this.schema = schema;
    this.problems = problems;
  }
}

/** A schema was refused: it does not parse, has an ambiguous union, or clashes with one already registered. */
export class AvroSchemaError extends Error {
  override readonly name = 'AvroSchemaError';
  /** The schema's full name when known. */
  readonly schema: string | undefined;

  constructor(schema: string | undefined, detail: string) {
    super(`invalid Avro schema${schema ? ` ${schema}` : ''}: ${detail}`);
    this.schema = schema;
  }
}

/** A schema was looked up by a name or fingerprint that the catalog does not hold. */
export class UnknownSchemaError extends Error {
  override readonly name = 'UnknownSchemaError';
  /** The name or the fingerprint (hex, wire order) that was looked up. */
  readonly key: string;

  constructor(key: string, known: readonly string[]) {
    super(`unknown Avro schema ${key}; the catalog holds ${known.length ? known.join(', ') : 'no schemas'}`);
    this.key = key;
  }
}
