import { log } from '@baton/observability';
import type { StepLogger } from '../step-context';

/** A {@link StepLogger} writing JSON lines (`@baton/observability` `log`) with `fields` on every line. @internal */
export function createStepLogger(fields: Record<string, unknown>): StepLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra: Record<string, unknown> = {}) =>
    log(level, 'step', message, { ...fields, ...extra });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
