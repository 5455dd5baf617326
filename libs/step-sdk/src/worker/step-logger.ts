import { createLogger } from '@baton/observability';
import type { StepLogger } from '../step-context';

/** A {@link StepLogger} over the service logger (`@baton/observability` `createLogger('step', fields)`), `fields` on every line. @internal */
export function createStepLogger(fields: Record<string, unknown>): StepLogger {
  const logger = createLogger('step', fields);
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra: Record<string, unknown> = {}) => logger[level](extra, message);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
