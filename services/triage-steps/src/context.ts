/**
 * What every step handler receives besides its input. The step SDK's `StepContext` carries more
 * (deadline, logger, heartbeat, metering, trace context); the step functions need only this part of
 * it, so the SDK's context is passed to them as it is (see `service/handlers.ts`).
 */
export interface StepContext {
  /** The case the step runs for. */
  readonly caseId: string;
  /** The step's id in the workflow definition (`parse`, `classify`, ...). */
  readonly stepId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Stable across redeliveries and attempts of the same step of the same case: the key for side effects. */
  readonly idempotencyKey: string;
  /** The step's static parameters (`with:` in the workflow definition). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Aborted when the step SDK gives up on the attempt at its deadline; handlers pass it to remote calls. */
  readonly signal?: AbortSignal;
}

/** A step type's domain logic: input record in, output record out. */
export type StepHandler<I, O> = (input: I, ctx: StepContext) => Promise<O>;
