/**
 * A schema version the contract registry refuses because it cannot read data written with an
 * earlier version of the same subject (Avro specification 1.11, "Schema Resolution").
 */
export class IncompatibleContractError extends Error {
  override readonly name = 'IncompatibleContractError';
  constructor(readonly subject: string, readonly version: number | 'built-in', readonly reasons: readonly string[]) {
    super(`schema ${subject} is incompatible with its ${version === 'built-in' ? 'built-in version in contracts/' : `version ${version}`}: ${reasons.join('; ')}`);
  }
}

/** A schema the contract registry refuses for what it is: not JSON, not a named Avro record, a reserved or mismatched name. */
export class InvalidContractError extends Error {
  override readonly name = 'InvalidContractError';
  constructor(readonly subject: string | undefined, detail: string) {
    super(subject === undefined ? `invalid schema: ${detail}` : `invalid schema for subject ${subject}: ${detail}`);
  }
}
