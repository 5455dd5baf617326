/**
 * The step module was set up wrongly: a handler class without `@StepHandler`, two handlers for
 * one type, a type with no contract, a transport without a module. Thrown at start-up.
 */
export class StepConfigurationError extends Error {
  override readonly name = 'StepConfigurationError';
}
