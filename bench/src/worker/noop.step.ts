import { Injectable } from '@nestjs/common';
import type { NoopInput, NoopOutput } from '@baton/contracts';
import { StepHandler, type Step, type StepContext } from '@baton/step-sdk';

/** When the SDK handed one attempt to the handler: `[caseId, stepId, attempt, epoch ms with µs]`. */
export type HandledAt = [caseId: string, stepId: string, attempt: number, at: number];

/** Every attempt this process handled, in memory until the process stops. */
@Injectable()
export class AttemptTimes {
  readonly handled: HandledAt[] = [];
}

/** The benchmark's `noop` step: records when it ran and answers `{ ok: true }` at once. */
@StepHandler('noop')
export class BenchNoopStep implements Step<NoopInput, NoopOutput> {
  constructor(private readonly times: AttemptTimes) {}

  async handle(_input: NoopInput, ctx: StepContext): Promise<NoopOutput> {
    this.times.handled.push([ctx.caseId, ctx.stepId, ctx.attempt, performance.timeOrigin + performance.now()]);
    return { ok: true };
  }
}
