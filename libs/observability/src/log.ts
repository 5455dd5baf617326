/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/**
 * Writes one JSON line to stderr: `{ time, level, component, message, ...fields }`.
 * Services log through this so every line can be parsed by the same tools.
 */
export function log(level: 'debug' | 'info' | 'warn' | 'error' | 'fatal', component: string, message: string, fields: LogFields = {}): void {
  if (level === 'debug' && !process.env.BATON_DEBUG) return;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields })}\n`);
}
