import type { StepContext } from './step-context';

/**
 * A step type's logic: one attempt of one step of one case. Implement it on a class decorated
 * with `@StepHandler` and list the class in `StepModule.forRoot({ handlers })`, or pass the
 * function itself to `stepHandler(type, fn)`.
 *
 * - `input` is the step type's input record (`contracts/schemas/steps/<type>/input.avsc`),
 *   decoded as plain data (`long` as `number`, `bytes` as `Buffer`).
 * - The returned value must match the type's output record, else the attempt fails with the
 *   non-retryable `OutputSchemaViolation`.
 * - Throw `NonRetryableError(name, message)` when retrying cannot help; anything else thrown is
 *   a retryable failure named after the error's `name`.
 *
 * @typeParam I - the input record, e.g. `TextClassifyInput` from `@baton/contracts`
 * @typeParam O - the output record, e.g. `TextClassifyOutput`
 */
export interface Step<I = unknown, O = unknown> {
  handle(input: I, ctx: StepContext): Promise<O>;
}
