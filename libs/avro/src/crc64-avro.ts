/**
 * CRC-64-AVRO, the Rabin fingerprint of the Avro specification 1.11, section
 * "Schema Fingerprints". 64-bit arithmetic is done with BigInt.
 */

/** The CRC-64-AVRO polynomial's empty value, `0xc15d213aa4d7a795` (Avro specification 1.11). */
export const CRC64_AVRO_EMPTY = 0xc15d213aa4d7a795n;

const MASK64 = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ ((fp & 1n) === 1n ? CRC64_AVRO_EMPTY : 0n);
    table.push(fp);
  }
  return table;
})();

/**
 * The CRC-64-AVRO fingerprint of some bytes.
 *
 * @param bytes - the bytes to fingerprint (for a schema: the UTF-8 of its Parsing Canonical Form)
 * @returns the fingerprint as an unsigned 64-bit integer (`0n` to `2n ** 64n - 1n`); the
 *   specification's test vectors print it as a signed Java `long`: use {@link toSignedInt64}.
 */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = CRC64_AVRO_EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)]!;
  return fp & MASK64;
}

/** Reinterprets an unsigned 64-bit fingerprint as a signed 64-bit integer (two's complement), as the Avro test vectors print it. */
export function toSignedInt64(fp: bigint): bigint {
  return BigInt.asIntN(64, fp);
}
