import { Injectable } from '@nestjs/common';
import { STEP_TYPE_PATTERN } from '@baton/contracts';
import { StepConfigurationError } from './step-configuration-error';

const stepTypes = new WeakMap<object, string>();

/**
 * Marks a class as the handler of a step type and makes it a Nest provider (`@Injectable()`), so
 * its constructor gets dependencies. It still has to be listed in `StepModule.forRoot({ handlers })`:
 * nothing is discovered by scanning.
 *
 * @param stepType - lowercase words joined by dots, e.g. `text.classify` (`STEP_TYPE_PATTERN`)
 * @throws StepConfigurationError when `stepType` is not a step type name
 */
export function StepHandler(stepType: string): ClassDecorator {
  if (!STEP_TYPE_PATTERN.test(stepType)) {
    throw new StepConfigurationError(`@StepHandler('${stepType}'): a step type is lowercase alphanumeric words joined by dots, e.g. 'text.classify'`);
  }
  return (target) => {
    stepTypes.set(target, stepType);
    Injectable()(target);
  };
}

/** The step type a class was decorated with, or undefined. */
export function stepTypeOf(handlerClass: object): string | undefined {
  return stepTypes.get(handlerClass);
}
