import type { InjectionToken } from '@nestjs/common';
import { STEP_TYPE_PATTERN } from '@baton/contracts';
import type { StepContext } from './step-context';
import { StepConfigurationError } from './step-configuration-error';

/** A step type's logic as a plain function: what `Step.handle` is on a class. */
export type StepFn<I = unknown, O = unknown> = (input: I, ctx: StepContext) => Promise<O>;

/**
 * A function that builds a {@link StepFn} from the providers it injects, called once at start-up
 * (Nest's `useFactory`): the handler's dependencies as arguments, in the order of `inject`.
 */
export interface StepFnFactory<I = unknown, O = unknown> {
  /** The providers to inject (classes or tokens), as in a Nest factory provider. */
  readonly inject: readonly InjectionToken[];
  readonly useFactory: (...deps: never[]) => StepFn<I, O> | Promise<StepFn<I, O>>;
}

/**
 * A function handler of one step type, made by {@link stepHandler}; list it in
 * `StepModule.forRoot({ handlers })` beside or instead of `@StepHandler` classes.
 */
export interface StepFunction<I = unknown, O = unknown> {
  readonly stepType: string;
  /** The function, or the factory that builds it from injected providers. */
  readonly fn: StepFn<I, O> | StepFnFactory<I, O>;
}

const made = new WeakSet<object>();

/**
 * A step handler as a function, for a step type whose logic needs no class:
 *
 * ```ts
 * stepHandler('text.sentiment', async (input: SentimentInput, ctx) => score(input.text))
 * stepHandler('text.classify', { inject: [MODEL], useFactory: (model: Model) => (input, ctx) => model.classify(input) })
 * ```
 *
 * The function has the contract of `Step.handle`: `input` is the type's input record as plain
 * data, the value returned must match its output record, a `NonRetryableError` fails the attempt
 * for good and anything else thrown is retryable.
 *
 * @param stepType - lowercase words joined by dots, e.g. `text.classify` (`STEP_TYPE_PATTERN`)
 * @throws StepConfigurationError when `stepType` is not a step type name, or `fn` is neither a function nor `{ inject, useFactory }`
 */
export function stepHandler<I, O>(stepType: string, fn: StepFn<I, O> | StepFnFactory<I, O>): StepFunction<I, O> {
  if (!STEP_TYPE_PATTERN.test(stepType)) {
    throw new StepConfigurationError(`stepHandler('${stepType}'): a step type is lowercase alphanumeric words joined by dots, e.g. 'text.classify'`);
  }
  if (typeof fn !== 'function' && (typeof fn?.useFactory !== 'function' || !Array.isArray(fn.inject))) {
    throw new StepConfigurationError(`stepHandler('${stepType}'): the handler is a function (input, ctx) => Promise<output>, or { inject: [...], useFactory }`);
  }
  const handler = Object.freeze({ stepType, fn });
  made.add(handler);
  return handler;
}

/** Whether a `handlers` entry was made by {@link stepHandler}. @internal */
export function isStepFunction(entry: unknown): entry is StepFunction<never, unknown> {
  return typeof entry === 'object' && entry !== null && made.has(entry);
}
