/**
 * Step contracts: the input and output records of a step type, by the folder convention
 * `contracts/schemas/steps/<type>/{input,output}.avsc`.
 */
import { type SchemaCatalog, type AvroType } from '@baton/avro';
import { stepSchemaNames } from './contract-names';
import { UnknownStepTypeError } from './errors';

/** A step type's input and output avsc types. */
export interface StepContract {
  readonly stepType: string;
  readonly input: AvroType;
  readonly output: AvroType;
  /** Full names of the input and output records. */
  readonly inputName: string;
  readonly outputName: string;
}

/** Step types with a complete contract (input and output) in the catalog, sorted. */
export function stepTypes(catalog: SchemaCatalog): string[] {
  const re = /^baton\.steps\.([a-z0-9_]+)\.Input$/;
  const out: string[] = [];
  for (const name of catalog.names()) {
    const m = re.exec(name);
    if (m && catalog.has(`baton.steps.${m[1]}.Output`)) out.push(m[1]!.replace(/_/g, '.'));
  }
  return out.sort();
}

/**
 * The contract of a step type.
 * @throws UnknownStepTypeError when the catalog has no input or output record for the type
 */
export function stepContract(catalog: SchemaCatalog, stepType: string): StepContract {
  const names = stepSchemaNames(stepType);
  if (!catalog.has(names.input) || !catalog.has(names.output)) throw new UnknownStepTypeError(stepType, stepTypes(catalog));
  return { stepType, input: catalog.type(names.input), output: catalog.type(names.output), inputName: names.input, outputName: names.output };
}
