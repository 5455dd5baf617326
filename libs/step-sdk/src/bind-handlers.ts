import type { InjectionToken, Provider, Type } from '@nestjs/common';
import type { SchemaCatalog } from '@baton/avro';
import { stepContract, UnknownStepTypeError } from '@baton/contracts';
import type { Step } from './step';
import { StepConfigurationError } from './step-configuration-error';
import { isStepFunction, type StepFunction } from './step-function';
import { stepTypeOf } from './step-handler.decorator';
import type { BoundHandler } from './worker/bound-handler';

/** A `handlers` entry of `StepModule.forRoot`: a `@StepHandler` class or a `stepHandler(type, fn)`. */
export type HandlerEntry = Type<Step<never, unknown>> | StepFunction<never, unknown>;

/**
 * The step type of each handler entry, in order.
 * @throws StepConfigurationError for an empty list, a class without `@StepHandler`, or two entries of one type
 * @internal
 */
export function handlerTypes(handlers: readonly HandlerEntry[]): string[] {
  if (handlers.length === 0) throw new StepConfigurationError('StepModule.forRoot: `handlers` lists no handler class or function');
  const seen = new Map<string, string>();
  return handlers.map((entry) => {
    const type = isStepFunction(entry) ? entry.stepType : stepTypeOf(entry);
    const name = isStepFunction(entry) ? `stepHandler('${entry.stepType}')` : entry.name;
    if (type === undefined) throw new StepConfigurationError(`StepModule.forRoot: ${name} is not decorated with @StepHandler('<step type>') nor made by stepHandler('<step type>', fn)`);
    const other = seen.get(type);
    if (other !== undefined) throw new StepConfigurationError(`StepModule.forRoot: ${other} and ${name} both handle step type '${type}'`);
    seen.set(type, name);
    return type;
  });
}

/**
 * The Nest providers of the handler entries and the token of each, in order: a class is its own
 * provider; a function becomes a `{ handle }` value, a factory a `{ handle }` built from its `inject`.
 * @internal
 */
export function handlerProviders(handlers: readonly HandlerEntry[]): { providers: Provider[]; tokens: InjectionToken[] } {
  const providers: Provider[] = [];
  const tokens: InjectionToken[] = [];
  for (const entry of handlers) {
    if (!isStepFunction(entry)) {
      providers.push(entry);
      tokens.push(entry);
      continue;
    }
    const token = Symbol(`stepHandler:${entry.stepType}`);
    const fn = entry.fn;
    providers.push(typeof fn === 'function'
      ? { provide: token, useValue: { handle: fn } }
      : { provide: token, inject: [...fn.inject], useFactory: async (...deps: never[]) => ({ handle: await fn.useFactory(...deps) }) });
    tokens.push(token);
  }
  return { providers, tokens };
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
