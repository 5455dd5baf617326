import { validationProblems, type SchemaCatalog } from '@baton/avro';
import { stepContract } from '@baton/contracts';

/**
 * The decider's output check: the problems (each naming a field) of `output` against the output
 * contract of `stepType`; a step type with no contract is a problem in itself.
 */
export function validateOutputWith(catalog: SchemaCatalog): (stepType: string, output: unknown) => string[] {
  return (stepType, output) => {
    let contract;
    try {
      contract = stepContract(catalog, stepType);
    } catch (error) {
      return [(error as Error).message];
    }
    return validationProblems(contract.output, output).map((p) => `${p.path || '(root)'}: expected ${p.expected}, got ${p.actual}`);
  };
}
