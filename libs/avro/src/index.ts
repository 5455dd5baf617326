/**
 * `@baton/avro`: Avro single-object encoding, CRC-64-AVRO fingerprints of the Parsing Canonical
 * Form, and a schema catalog that resolves writer schemas by fingerprint (Avro specification 1.11).
 */
export { crc64Avro, toSignedInt64, CRC64_AVRO_EMPTY } from './crc64-avro';
export { canonicalForm } from './canonical-form';
export type { SchemaInput } from './canonical-form';
export { schemaFingerprint, fingerprintToBytes, fingerprintToHex, fingerprintFromHex } from './fingerprint';
export { AVSC_OPTIONS, createType, typeLabel } from './create-type';
export { validationProblems, encodeBody, type ValidationOptions } from './encode-value';
export { toPlain, type ToPlainOptions } from './to-plain';
export {
  encode,
  decode,
  readHeader,
  typeFingerprint,
  SINGLE_OBJECT_MARKER,
  SINGLE_OBJECT_HEADER_LENGTH,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_EMPTY_ITEMS,
} from './single-object';
export type { DecodeLimits, AvroResolver } from './single-object';
export { SchemaCatalog } from './schema-catalog';
export type { RegisteredSchema, DecodedMessage, RegisterOptions } from './schema-catalog';
export { AvroDecodeError, AvroEncodeError, AvroSchemaError, UnknownSchemaError } from './errors';
export type { AvroDecodeCause, AvroFieldProblem } from './errors';
export type { Type as AvroType } from 'avsc';
