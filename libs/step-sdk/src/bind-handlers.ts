import type { Type } from '@nestjs/common';
import type { SchemaCatalog } from '@baton/avro';
import { stepContract, UnknownStepTypeError } from '@baton/contracts';
import type { Step } from './step';
import { StepConfigurationError } from './step-configuration-error';
import { stepTypeOf } from './step-handler.decorator';
import type { BoundHandler } from './worker/bound-handler';

/**
 * The step type of each handler class, in order.
 * @throws StepConfigurationError for an empty list, a class without `@StepHandler`, or two classes of one type
 * @internal
 */
export function handlerTypes(handlers: readonly Type<unknown>[]): string[] {
  if (handlers.length === 0) throw new StepConfigurationError('StepModule.forRoot: `handlers` lists no handler class');
  const seen = new Map<string, string>();
  return handlers.map((cls) => {
    const type = stepTypeOf(cls);
    if (type === undefined) throw new StepConfigurationError(`StepModule.forRoot: ${cls.name} is not decorated with @StepHandler('<step type>')`);
    const other = seen.get(type);
    if (other !== undefined) throw new StepConfigurationError(`StepModule.forRoot: ${other} and ${cls.name} both handle step type '${type}'`);
    seen.set(type, cls.name);
    return type;
  });
}

/**
 * Pairs each handler instance with its step type's contract.
 * @throws StepConfigurationError when a type has no input or output record in the catalog, or an instance has no `handle`
 * @internal
 */
export function bindHandlers(catalog: SchemaCatalog, types: readonly string[], instances: readonly unknown[]): Map<string, BoundHandler> {
  const bound = new Map<string, BoundHandler>();
  types.forEach((stepType, i) => {
    const handler = instances[i] as Step<unknown, unknown>;
    if (typeof handler?.handle !== 'function') throw new StepConfigurationError(`the handler of step type '${stepType}' has no handle(input, ctx) method`);
    try {
      bound.set(stepType, { stepType, contract: stepContract(catalog, stepType), handler });
    } catch (error) {
      if (error instanceof UnknownStepTypeError) throw new StepConfigurationError(`StepModule.forRoot: ${error.message}`);
      throw error;
    }
  });
  return bound;
}

/** The default consumer group of a set of step types. @internal */
export function defaultGroupId(types: readonly string[], namespace: string): string {
  const group = `baton-step-${[...types].sort().join('+')}`;
  return namespace ? `${namespace}.${group}` : group;
}
