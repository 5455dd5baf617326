/**
 * A catalog of Avro schemas, looked up by full name and by fingerprint, that encodes and decodes
 * single-object messages and resolves schema evolution (Avro specification 1.11, "Schema Resolution").
 */
import { type Type } from 'avsc';
import { canonicalForm } from './canonical-form';
import { createType, typeLabel } from './create-type';
import type { ValidationOptions } from './encode-value';
import { AvroDecodeError, AvroSchemaError, UnknownSchemaError } from './errors';
import { fingerprintFromHex, fingerprintToHex } from './fingerprint';
import { type AvroResolver, decodeBody, type DecodeLimits, encode, readHeader, typeFingerprint } from './single-object';

/** One schema version held by a catalog. */
export interface RegisteredSchema {
  /** Full name, e.g. `baton.v1.StepCompleted`. */
  readonly name: string;
  /** The avsc type (parsed with `AVSC_OPTIONS`). */
  readonly type: Type;
  /** CRC-64-AVRO of the Parsing Canonical Form, unsigned. */
  readonly fingerprint: bigint;
  /** The fingerprint as 16 hex digits in wire order. */
  readonly fingerprintHex: string;
  /** The Parsing Canonical Form. */
  readonly canonical: string;
}

/** The result of {@link SchemaCatalog.decode}. */
export interface DecodedMessage<T = unknown> {
  /** The value, read with the reader schema when one was named, else with the writer schema. */
  value: T;
  /** Full name of the writer schema (the one the fingerprint names). */
  writerName: string;
  /** The writer fingerprint from the header, unsigned. */
  fingerprint: bigint;
}

/** Options of {@link SchemaCatalog.register}. */
export interface RegisterOptions {
  /**
   * Whether this version becomes the one `byName`/`encode`/`decode(buf, name)` use (default true).
   * Pass `false` to teach the catalog an older writer version it should still read (it still
   * becomes current when no version of its name is registered yet).
   */
  current?: boolean;
}

/**
 * Holds named Avro schemas. Several versions of one name may be registered: all are known by
 * fingerprint (so messages written with any of them decode), and one is current per name.
 * Only named schemas (record, enum, fixed) can be registered.
 */
export class SchemaCatalog {
  private readonly byFp = new Map<bigint, RegisteredSchema>();
  private readonly current = new Map<string, RegisteredSchema>();
  private readonly resolvers = new Map<string, AvroResolver>();

  /** @param limits - decode limits for every message (max bytes default 8 MiB) */
  constructor(private readonly limits: DecodeLimits = {}) {}

  /**
   * Registers a schema (JSON text, parsed JSON or avsc `Type`).
   * Registering the same schema again is a no-op that returns the existing entry.
   * @throws AvroSchemaError when the schema is invalid, anonymous, or has an ambiguous union
   */
  register(schema: string | object | Type, options: RegisterOptions = {}): RegisteredSchema {
    const type = createType(schema);
    if (!type.name) throw new AvroSchemaError(undefined, `only named schemas (record, enum, fixed) can be registered, got ${type.typeName}`);
    const fingerprint = typeFingerprint(type);
    const entry = this.byFp.get(fingerprint) ?? {
      name: type.name,
      type,
      fingerprint,
      fingerprintHex: fingerprintToHex(fingerprint),
      canonical: canonicalForm(type),
    };
    if (entry.name !== type.name) {
      throw new AvroSchemaError(type.name, `its fingerprint ${entry.fingerprintHex} is already that of ${entry.name}`);
    }
    this.byFp.set(fingerprint, entry);
    if (options.current !== false || !this.current.has(entry.name)) this.current.set(entry.name, entry);
    return entry;
  }

  /** Whether a schema of this full name is registered. */
  has(name: string): boolean {
    return this.current.has(name);
  }

  /** Full names of all registered schemas, sorted. */
  names(): string[] {
    return [...this.current.keys()].sort();
  }

  /** Every registered version, current or not. */
  entries(): RegisteredSchema[] {
    return [...this.byFp.values()];
  }

  /**
   * The current version of a schema by full name.
   * @throws UnknownSchemaError when the name is not registered
   */
  get(name: string): RegisteredSchema {
    const entry = this.current.get(name);
    if (!entry) throw new UnknownSchemaError(name, this.names());
    return entry;
  }

  /**
   * The current avsc type of a schema by full name.
   * @throws UnknownSchemaError when the name is not registered
   */
  type(name: string): Type {
    return this.get(name).type;
  }

  /**
   * A registered version by fingerprint: an unsigned bigint, or 16 hex digits in wire order.
   * @returns undefined when no registered schema has that fingerprint
   */
  byFingerprint(fingerprint: bigint | string): RegisteredSchema | undefined {
    const fp = typeof fingerprint === 'string' ? fingerprintFromHex(fingerprint) : BigInt.asUintN(64, fingerprint);
    return this.byFp.get(fp);
  }

  /**
   * Encodes a value with the current version of a schema, in the single-object encoding.
   * @throws UnknownSchemaError, AvroEncodeError (naming the offending field paths)
   */
  encode(name: string, value: unknown, options: ValidationOptions = {}): Buffer {
    return encode(this.type(name), value, options);
  }

  /**
   * Decodes a single-object message. The writer schema is resolved by the header's fingerprint;
   * when `readerName` is given and its current version differs from the writer, the body is read
   * through `reader.createResolver(writer)` (schema evolution: new fields take their defaults,
   * removed fields are skipped, promotions apply).
   *
   * @param readerName - full name of the schema to read as; omit to read with the writer schema
   * @throws AvroDecodeError `too-large`, `too-short`, `bad-marker`, `unknown-fingerprint`,
   *   `truncated-body`, `trailing-bytes`, `invalid-body`, `incompatible-schema`
   * @throws UnknownSchemaError when `readerName` is not registered
   */
  decode<T = unknown>(buf: Buffer, readerName?: string): DecodedMessage<T> {
    const { fingerprint, bodyOffset } = readHeader(buf, this.limits);
    const writer = this.byFp.get(fingerprint);
    if (!writer) {
      throw new AvroDecodeError('unknown-fingerprint', `no registered schema has the fingerprint ${fingerprintToHex(fingerprint)}`, fingerprint);
    }
    let reader: { type: Type; resolver: AvroResolver } | undefined;
    if (readerName !== undefined) {
      const target = this.get(readerName);
      if (target.fingerprint !== writer.fingerprint) reader = { type: target.type, resolver: this.resolver(target, writer) };
    }
    const value = decodeBody(writer.type, buf, bodyOffset, fingerprint, this.limits, reader) as T;
    return { value, writerName: writer.name, fingerprint };
  }

  private resolver(reader: RegisteredSchema, writer: RegisteredSchema): AvroResolver {
    const key = `${reader.fingerprintHex}<${writer.fingerprintHex}`;
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      try {
        resolver = reader.type.createResolver(writer.type);
      } catch (e) {
        throw new AvroDecodeError('incompatible-schema', `${typeLabel(reader.type)} (${reader.fingerprintHex}) cannot read data written as ${writer.name} (${writer.fingerprintHex}): ${(e as Error).message}`, writer.fingerprint);
      }
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }
}
