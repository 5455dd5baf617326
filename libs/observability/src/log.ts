import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { type Logger } from 'pino';

/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/** The levels a line may have, least severe first (pino's, without `trace`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The least severe level written: `LOG_LEVEL` (one of {@link LEVELS}), else `debug` when the older
 * `BATON_DEBUG` is set, else `info`.
 * @throws Error naming `LOG_LEVEL` when it is not a pino level
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.LOG_LEVEL?.trim();
  if (!raw) return env.BATON_DEBUG ? 'debug' : 'info';
  if (!LEVELS.includes(raw)) throw new Error(`LOG_LEVEL: expected one of ${LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  return raw;
}

const context = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` (e.g. `{ caseId }`) added to every line logged inside it, through every
 * `await` (an `AsyncLocalStorage`); nested calls add to the outer fields.
 */
export function withLogFields<R>(fields: LogFields, fn: () => R): R {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/**
 * The fields of {@link withLogFields}, and the trace and span ids of the active OpenTelemetry
 * span when it has a valid one; less those the logger itself binds (no key twice on a line).
 */
function contextFields(_fields: object, _level: number, logger: Logger): LogFields {
  const span = trace.getActiveSpan()?.spanContext();
  const fields: LogFields = { ...context.getStore(), ...(span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}) };
  const bound = logger.bindings();
  for (const key of Object.keys(fields)) if (key in bound) delete fields[key];
  return fields;
}

/**
 * The process's root logger: pino, one JSON line per entry on stderr, written synchronously (so a
 * line logged just before `process.exit` is not lost):
 * `{"level":"info","time":"<ISO 8601>","component":...,"traceId":...,"caseId":...,...fields,"message":...}`.
 * Level names as strings and the `message` key, as the lines had before pino (tests and the main
 * job look for `"message":"ready`).
 */
export const rootLogger: Logger = pino({
  level: logLevelFromEnv(),
  messageKey: 'message',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: contextFields,
}, pino.destination({ fd: 2, sync: true }));

/**
 * The one logger factory: a child of {@link rootLogger} whose lines carry `component` and
 * `fields`, plus the trace id and the {@link withLogFields} fields in effect when each line is written.
 * @example createLogger('outbox-relay').error({ rows: 3 }, 'publishing failed')
 */
export function createLogger(component: string, fields: LogFields = {}): Logger {
  return rootLogger.child({ component, ...fields });
}

/** Shorthand: one line through {@link createLogger}`(component)`, `fields` beside `message`. */
export function log(level: LogLevel, component: string, message: string, fields: LogFields = {}): void {
  rootLogger[level]({ component, ...fields }, message);
}

/**
 * Nest's own logger for `NestFactory.create(..., { logger: nestLogger() })`: nestjs-pino over
 * {@link rootLogger}, Nest's context as `component`. Nest's info lines (routes mapped, modules
 * initialised) show only when `LOG_LEVEL` is `debug` or `trace`, as they did with `['error', 'warn']`.
 */
export function nestLogger(): NestPinoLogger {
  const verbose = rootLogger.isLevelEnabled('debug');
  const logger = verbose ? rootLogger : rootLogger.child({}, { level: rootLogger.isLevelEnabled('warn') ? 'warn' : rootLogger.level });
  const params = { pinoHttp: { logger }, renameContext: 'component' };
  return new NestPinoLogger(new PinoLogger(params), params);
}
