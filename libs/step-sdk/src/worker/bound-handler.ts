import type { StepContract } from '@baton/contracts';
import type { Step } from '../step';

/** A handler instance with the contract of its step type. @internal */
export interface BoundHandler {
  readonly stepType: string;
  readonly contract: StepContract;
  readonly handler: Step<unknown, unknown>;
}
