/**
 * `@baton/step-sdk`: what a step team uses to deploy its own consumer. A handler class per step
 * type, a NestJS module that runs them over Kafka, and an optional custom transport.
 */
export type { Step } from './step';
export type { StepContext, StepLogger, MeteringReport } from './step-context';
export { StepHandler, stepTypeOf } from './step-handler.decorator';
export { stepHandler, type StepFn, type StepFnFactory, type StepFunction } from './step-function';
export type { HandlerEntry } from './bind-handlers';
export { NonRetryableError, isNonRetryable } from './non-retryable-error';
export { RetryableError, retryAfterOf } from './retryable-error';
export { StepConfigurationError } from './step-configuration-error';
export { StepModule } from './step.module';
export type { StepModuleOptions } from './step-module-options';
export { StepTransport, type StepTransportStatus } from './step-transport';
export { StepRuntime } from './step-runtime';
export { APPLIED_LOG, writeOnce, type WriteOnceResult } from './effects/write-once';
export { selectStepTypes } from './select-step-types';
export { STEP_METRICS_REGISTRY } from './step-tokens';
export type { StepWorker } from './worker/step-worker';
export { SdkErrorNames, MAX_DETAILS_CHARS } from './worker/step-error';
export type { StepOutcome } from './worker/step-metrics';
