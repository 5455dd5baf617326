import type { Context } from '@opentelemetry/api';
import type { Wire } from '@baton/contracts';
import type { MeteringReport, StepContext, StepLogger } from '../step-context';
import { addMetering, checkMetering } from './metering';
import { COMPENSATION_PREFIX } from '@baton/workflow-engine';

/** What an {@link AttemptContext} needs from the worker. @internal */
export interface AttemptContextDeps {
  request: Wire.StepRequest;
  params: Readonly<Record<string, unknown>>;
  traceContext: Context;
  logger: StepLogger;
  /**
   * The step's timeout, estimated as the request's deadline minus the time it was sent (the
   * orchestrator sets the deadline just before it sends, so this errs short); a heartbeat pushes the
   * deadline to now + this, as the orchestrator does. Undefined when unknown: heartbeats then keep the deadline.
   */
  timeoutMs: number | undefined;
  heartbeatIntervalMs: number;
  sendHeartbeat: (details: unknown) => Promise<void>;
  /** Observes each accepted metering report (metrics). */
  onMetering: (m: MeteringReport) => void;
  now?: () => number;
}

/** The {@link StepContext} of one attempt, and the state the worker reads back when it ends. @internal */
export class AttemptContext implements StepContext {
  readonly caseId: string;
  readonly stepId: string;
  readonly stepType: string;
  readonly attempt: number;
  readonly workflow: string;
  readonly workflowVersion: number;
  readonly requestId: string;
  readonly idempotencyKey: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly isCompensation: boolean;
  readonly logger: StepLogger;
  readonly traceContext: Context;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private current: number;
  private lastHeartbeatAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private total: Wire.Metering | null = null;

  constructor(private readonly deps: AttemptContextDeps) {
    const r = deps.request;
    this.caseId = r.caseId;
    this.stepId = r.stepId;
    this.stepType = r.stepType;
    this.attempt = r.attempt;
    this.workflow = r.workflow;
    this.workflowVersion = r.workflowVersion;
    this.requestId = r.requestId;
    this.idempotencyKey = r.idempotencyKey;
    this.params = deps.params;
    this.isCompensation = r.stepId.startsWith(COMPENSATION_PREFIX);
    this.logger = deps.logger;
    this.traceContext = deps.traceContext;
    this.now = deps.now ?? Date.now;
    this.current = r.deadline;
  }

  get deadline(): number {
    return this.current;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.current - this.now());
  }

  async heartbeat(details?: unknown): Promise<void> {
    if (this.closed) return;
    const at = this.now();
    if (at - this.lastHeartbeatAt < this.deps.heartbeatIntervalMs) return;
    this.lastHeartbeatAt = at;
    try {
      await this.deps.sendHeartbeat(details);
    } catch (error) {
      this.logger.warn('heartbeat not sent', { error: (error as Error).message });
      return;
    }
    // The orchestrator ignores heartbeats of compensations, so their deadline never moves.
    if (!this.isCompensation && this.deps.timeoutMs !== undefined) this.current = Math.max(this.current, at + this.deps.timeoutMs);
  }

  reportMetering(metering: MeteringReport): void {
    checkMetering(metering);
    this.deps.onMetering(metering);
    if (!this.closed) this.total = addMetering(this.total, metering);
  }

  /** The metering summed over the attempt, `null` when none was reported. */
  metering(): Wire.Metering | null {
    return this.total;
  }

  /** Ends the attempt: later heartbeats are dropped and later metering no longer reaches the result. */
  close(): void {
    this.closed = true;
  }

  /** The SDK gave up at the deadline: aborts {@link signal} and ends the attempt. */
  giveUp(): void {
    this.close();
    this.abort.abort(new Error(`attempt ${this.requestId} passed its deadline ${new Date(this.current).toISOString()}`));
  }
}
