import type { Context } from '@opentelemetry/api';

/** Model usage of one model call, for {@link StepContext.reportMetering}. */
export interface MeteringReport {
  /** The model's name, e.g. `gpt-4o-mini` or `bayes-spam`. */
  model: string;
  modelVersion?: string;
  /** Tokens sent to the model (a non-negative integer). */
  inputTokens: number;
  /** Tokens the model produced (a non-negative integer). */
  outputTokens: number;
  /** Cost in US dollars (non-negative). */
  costUsd: number;
}

/** JSON-line logger whose every line carries `caseId`, `stepId`, `stepType` and `attempt`. */
export interface StepLogger {
  /** Written only when `LOG_LEVEL` is `debug` or `trace` (or `BATON_DEBUG` is set). */
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What a handler knows about the attempt it runs, and what it may tell the orchestrator while it runs. */
export interface StepContext {
  readonly caseId: string;
  /** The step id in the workflow definition; `compensate:<id>` for a compensation of step `<id>`. */
  readonly stepId: string;
  /** The step type, e.g. `text.classify`. */
  readonly stepType: string;
  /** Attempt number, from 1. */
  readonly attempt: number;
  readonly workflow: string;
  readonly workflowVersion: number;
  /** `<caseId>:<stepId>:<attempt>`: names this attempt; the SDK drops duplicates by it. */
  readonly requestId: string;
  /**
   * Stable across redeliveries and attempts of this step in this case. Pass it to the systems the
   * handler changes (payment, e-mail, ticket APIs) so a second run cannot act twice: across
   * processes it is the only guard against a duplicate effect.
   */
  readonly idempotencyKey: string;
  /** The step's static `with` parameters, parsed from JSON (`{}` when none). */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * When the attempt times out, epoch ms. Starts as the request's deadline; a heartbeat pushes it
   * as the orchestrator does (to now + the step's timeout, estimated; never for compensations).
   */
  readonly deadline: number;
  /** Milliseconds left until {@link deadline}, at least 0. */
  remainingMs(): number;
  /** Aborted when the SDK gives up on the attempt at its deadline: pass it to `fetch` and friends. */
  readonly signal: AbortSignal;
  /** True for a compensation request (`stepId` starts with `compensate:`). */
  readonly isCompensation: boolean;
  readonly logger: StepLogger;
  /**
   * The OpenTelemetry context the handler runs in: the request's W3C trace headers, with the
   * `process baton.step.<type>` span active. A no-op context unless an OpenTelemetry SDK is registered.
   */
  readonly traceContext: Context;
  /**
   * Tells the orchestrator the attempt is alive (a `StepHeartbeat` on `baton.step-results`),
   * which pushes its deadline. Throttled: calls within the heartbeat interval (default 1 s) of
   * the last one sent are dropped. Never throws; a failed send is logged.
   * @param details - progress details, sent as JSON text
   */
  heartbeat(details?: unknown): Promise<void>;
  /**
   * Records a model call's usage: counted at once in `baton_step_tokens_total` and
   * `baton_step_cost_usd_total`, and summed into the `metering` of the `StepCompleted` result.
   * @throws RangeError when a count is not a non-negative integer or the cost not a non-negative number
   */
  reportMetering(metering: MeteringReport): void;
}
