/**
 * Schema fingerprints: CRC-64-AVRO of the UTF-8 bytes of the Parsing Canonical Form
 * (Avro specification 1.11, "Schema Fingerprints").
 */
import { canonicalForm, type SchemaInput } from './canonical-form';
import { crc64Avro } from './crc64-avro';

/**
 * The CRC-64-AVRO fingerprint of a schema's Parsing Canonical Form.
 *
 * @returns an unsigned 64-bit bigint; the single-object header carries it as 8 bytes little-endian
 * @throws AvroSchemaError when the input is not a schema
 */
export function schemaFingerprint(schema: SchemaInput): bigint {
  return crc64Avro(Buffer.from(canonicalForm(schema), 'utf8'));
}

/** The 8 bytes of a fingerprint, little-endian: exactly the bytes after `C3 01` in a single-object message. */
export function fingerprintToBytes(fp: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, fp));
  return b;
}

/**
 * A fingerprint as 16 lowercase hex digits in wire order (little-endian bytes, as they appear in
 * the message after `C3 01`), e.g. for logs and dead-letter headers.
 */
export function fingerprintToHex(fp: bigint): string {
  return fingerprintToBytes(fp).toString('hex');
}

/**
 * Parses 16 hex digits in wire order (see {@link fingerprintToHex}) back to an unsigned fingerprint.
 * @throws RangeError when the text is not 16 hex digits
 */
export function fingerprintFromHex(hex: string): bigint {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new RangeError(`a fingerprint in hex has 16 hex digits, got "${hex}"`);
  return Buffer.from(hex, 'hex').readBigUInt64LE(0);
}
