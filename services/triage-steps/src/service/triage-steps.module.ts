/**
 * The Nest module of the triage step service: `StepModule.forRoot` over the handlers of the
 * selected step types, so one image can run as several independently deployed step services
 * (`BATON_STEP_TYPES=text.classify` here, `text.draft` there), each with its own consumer group.
 */
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { StepModule, type StepModuleOptions } from '@baton/step-sdk';
import { TRIAGE_STEP_TYPES, type TriageStepType } from '../step-types';
import { TRIAGE_STEP_HANDLERS } from './handlers';
import { spamClassifierProvider } from './spam-classifier';

/** Options of {@link TriageStepsModule.forRoot}. */
export interface TriageStepsOptions {
  /** The step types this process serves; default all of them. */
  stepTypes?: readonly TriageStepType[];
  /** The spam model file; default the committed `model/spam-bayes.json`. */
  modelPath?: string;
  /** Passed to `StepModule.forRoot` (namespace, brokers, kafka, groupId, concurrency...). */
  step?: Omit<StepModuleOptions, 'handlers' | 'providers'>;
}

@Module({})
export class TriageStepsModule {
  /**
   * @throws Error when `stepTypes` is empty; StepConfigurationError (from the SDK) when a type has no contract
   */
  static forRoot(options: TriageStepsOptions = {}): DynamicModule {
    const stepTypes = [...new Set(options.stepTypes ?? TRIAGE_STEP_TYPES)];
    if (stepTypes.length === 0) throw new Error('TriageStepsModule.forRoot: no step type selected');
    // The model is loaded at start only where text.classify runs.
    const providers: Provider[] = stepTypes.includes('text.classify') ? [spamClassifierProvider(options.modelPath)] : [];
    return {
      module: TriageStepsModule,
      imports: [StepModule.forRoot({
        service: 'baton-triage-steps',
        clientId: 'baton-triage-steps',
        ...options.step,
        handlers: stepTypes.map((t) => TRIAGE_STEP_HANDLERS[t]),
        providers,
      })],
    };
  }
}
