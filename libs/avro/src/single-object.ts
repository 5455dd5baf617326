/**
 * Avro single-object encoding (Avro specification 1.11, "Single-object encoding"):
 * the marker `C3 01`, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
 * Parsing Canonical Form, then the Avro binary body.
 */
import { type Type } from 'avsc';
import { checkBody } from './body-check';
import { AvroDecodeError } from './errors';
import { encodeBody, type ValidationOptions } from './encode-value';
import { fingerprintToBytes, fingerprintToHex, schemaFingerprint } from './fingerprint';

/** The two marker bytes every single-object message starts with: `C3 01`. */
export const SINGLE_OBJECT_MARKER: Buffer = Buffer.from([0xc3, 0x01]);

/** An avsc resolver, from `reader.createResolver(writer)`. */
export type AvroResolver = ReturnType<Type['createResolver']>;

/** Header length in bytes: 2 marker bytes + 8 fingerprint bytes. */
export const SINGLE_OBJECT_HEADER_LENGTH = 10;

/** Default cap on a message's length, 8 MiB: a longer buffer is refused before any read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Default cap on zero-byte array/map items (e.g. `null`s) one body may claim. */
export const DEFAULT_MAX_EMPTY_ITEMS = 1_000_000;

/** Limits applied when decoding. */
export interface DecodeLimits {
  /** Refuse buffers longer than this many bytes (default {@link DEFAULT_MAX_MESSAGE_BYTES}). */
  maxBytes?: number;
  /** Refuse bodies claiming more zero-byte array/map items than this (default {@link DEFAULT_MAX_EMPTY_ITEMS}). */
  maxEmptyItems?: number;
}

const fingerprints = new WeakMap<Type, bigint>();

/** The CRC-64-AVRO fingerprint of an avsc type, cached per type. */
export function typeFingerprint(type: Type): bigint {
  let fp = fingerprints.get(type);
  if (fp === undefined) {
    fp = schemaFingerprint(type);
    fingerprints.set(type, fp);
  }
  return fp;
}

/**
 * Reads the single-object header.
 *
 * @returns the writer fingerprint (unsigned) and the offset where the body starts (always 10)
 * @throws AvroDecodeError `too-large`, `too-short` or `bad-marker`
 */
export function readHeader(buf: Uint8Array, limits: DecodeLimits = {}): { fingerprint: bigint; bodyOffset: number } {
  const max = limits.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (buf.length > max) throw new AvroDecodeError('too-large', `the buffer has ${buf.length} bytes, more than the limit of ${max}`);
  if (buf.length >= 2 && (buf[0] !== 0xc3 || buf[1] !== 0x01)) {
    const got = Buffer.from(buf.subarray(0, 2)).toString('hex');
    throw new AvroDecodeError('bad-marker', `the buffer starts with ${got}, not the single-object marker c301`);
  }
  if (buf.length < SINGLE_OBJECT_HEADER_LENGTH) {
    throw new AvroDecodeError('too-short', `the buffer has ${buf.length} bytes, fewer than the 10-byte header`);
  }
  const fingerprint = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).readBigUInt64LE(2);
  return { fingerprint, bodyOffset: SINGLE_OBJECT_HEADER_LENGTH };
}

/**
 * Encodes a value in the single-object encoding of its type.
 * @throws AvroEncodeError naming each field path whose value does not match the schema
 */
export function encode(type: Type, value: unknown, options: ValidationOptions = {}): Buffer {
  const body = encodeBody(type, value, options);
  return Buffer.concat([SINGLE_OBJECT_MARKER, fingerprintToBytes(typeFingerprint(type)), body]);
}

/**
 * Reads the body of a single-object message written with `writer`, optionally through a resolver
 * to a reader type. The header must already have been checked.
 * @throws AvroDecodeError `truncated-body`, `trailing-bytes` or `invalid-body`
 */
export function decodeBody(writer: Type, buf: Buffer, bodyOffset: number, fingerprint: bigint, limits: DecodeLimits, reader?: { type: Type; resolver: AvroResolver }): unknown {
  checkBody(writer, buf, bodyOffset, fingerprint, limits.maxEmptyItems ?? DEFAULT_MAX_EMPTY_ITEMS);
  try {
    const res = reader ? reader.type.decode(buf, bodyOffset, reader.resolver) : writer.decode(buf, bodyOffset);
    if (res.offset < 0) throw new Error('avsc read past the end of the body');
    return res.value;
  } catch (e) {
    if (e instanceof AvroDecodeError) throw e;
    throw new AvroDecodeError('invalid-body', `avsc could not read the body as ${writer.name ?? writer.typeName}: ${(e as Error).message}`, fingerprint);
  }
}

/**
 * Decodes a single-object message that must have been written with exactly `type`.
 * (To resolve the writer schema by fingerprint and read older versions, use `SchemaCatalog.decode`.)
 *
 * @throws AvroDecodeError `too-large`, `too-short`, `bad-marker`, `unknown-fingerprint` (the
 *   header names another schema), `truncated-body`, `trailing-bytes`, `invalid-body`
 */
export function decode<T = unknown>(type: Type, buf: Buffer, limits: DecodeLimits = {}): T {
  const { fingerprint, bodyOffset } = readHeader(buf, limits);
  const expected = typeFingerprint(type);
  if (fingerprint !== expected) {
    throw new AvroDecodeError('unknown-fingerprint', `the writer fingerprint ${fingerprintToHex(fingerprint)} is not that of ${type.name ?? type.typeName} (${fingerprintToHex(expected)})`, fingerprint);
  }
  return decodeBody(type, buf, bodyOffset, fingerprint, limits) as T;
}
