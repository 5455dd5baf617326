/** A contract file breaks the layout or naming convention of `contracts/schemas`. */
export class ContractLayoutError extends Error {
  override readonly name = 'ContractLayoutError';
  /** Path of the offending file, relative to `contracts/schemas`. */
  readonly file: string;

  constructor(file: string, detail: string) {
    super(`contract ${file}: ${detail}`);
    this.file = file;
  }
}

/** A step type has no contract (no `contracts/schemas/steps/<type>/input.avsc` and `output.avsc` registered). */
export class UnknownStepTypeError extends Error {
  override readonly name = 'UnknownStepTypeError';
  readonly stepType: string;

  constructor(stepType: string, known: readonly string[]) {
    super(`step type ${stepType} has no contract (expected contracts/schemas/steps/${stepType}/input.avsc and output.avsc); known step types: ${known.join(', ') || 'none'}`);
    this.stepType = stepType;
  }
}
