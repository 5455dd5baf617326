import { validationProblems, type SchemaCatalog } from '@baton/avro';
import { stepContract } from '@baton/contracts';
import { deleteLimits, putLimits, readBreakers, readLimits, type BreakerStatus, type EventStore, type StepTypeLimits } from '@baton/event-store';
import { parseRate, type LimitsRequest, type ResolveStepRequest } from '@baton/http-contract';
import { OPERATOR_QUEUE } from '@baton/workflow-engine';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';

/** `a.b`: a step type as contracts name them. */
const STEP_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/;

/**
 * Flow control through the API: per-step-type limits (stored in Postgres, read by every
 * orchestrator within a second), the breakers' state, and resolving a step that waits for an
 * operator (checked against the task inbox and the step type's output contract, then published
 * as a `ResolveExhaustedStep` signal).
 */
export class FlowControl {
  constructor(private readonly store: EventStore, private readonly catalog: SchemaCatalog, private readonly signals: SignalPublisher) {}

  listLimits(): Promise<StepTypeLimits[]> {
    return readLimits(this.store.pool);
  }

  /** @throws ValidationProblem (`stepType`, `rate`) */
  async setLimits(stepType: string, body: LimitsRequest): Promise<StepTypeLimits> {
    if (!STEP_TYPE.test(stepType)) throw ValidationProblem.of('stepType', `'${stepType}' is not a step type (lowercase words joined by dots, e.g. text.draft)`);
    let ratePerSecond: number | undefined;
    if (body.rate !== undefined) {
      try {
        ratePerSecond = parseRate(body.rate);
      } catch (error) {
        throw ValidationProblem.of('rate', (error as Error).message);
      }
    }
    return putLimits(this.store.pool, {
      stepType, ...(body.concurrency !== undefined && { concurrency: body.concurrency }), ...(ratePerSecond !== undefined && { ratePerSecond }),
      ...(body.burst !== undefined && { burst: body.burst }), ...(body.breaker !== undefined && { breaker: body.breaker }),
      ...(body.updatedBy !== undefined && { updatedBy: body.updatedBy }),
    });
  }

  /** @throws ResourceNotFound when the step type has no limits */
  async removeLimits(stepType: string): Promise<void> {
    if (!(await deleteLimits(this.store.pool, stepType))) throw new ResourceNotFound('limits', stepType, 'no limits are set for this step type');
  }

  breakers(): Promise<BreakerStatus[]> {
    return readBreakers(this.store.pool);
  }

  /**
   * @throws StateConflict when the step of the case is not waiting for an operator (no open task in queue `operators`)
   * @throws ValidationProblem (`output`) a skip without an output or with one the step type's output record refuses; an output with retry
   */
  async resolve(caseId: string, stepId: string, body: ResolveStepRequest, principal?: string): Promise<{ caseId: string; taskId: string; signalId: string }> {
    const { rows: [task] } = await this.store.pool.query<{ task_id: string; step_type: string }>(
      `SELECT task_id, step_type FROM human_tasks WHERE case_id = $1 AND step_id = $2 AND queue = $3 AND status = 'open' ORDER BY requested_at DESC LIMIT 1`,
      [caseId, stepId, OPERATOR_QUEUE]);
    if (!task) throw new StateConflict('case', caseId, 'not waiting', `step '${stepId}' is not waiting for an operator (no open task in queue ${OPERATOR_QUEUE})`);
    if (body.action === 'skip') {
      if (body.output === undefined) throw ValidationProblem.of('output', 'is required to skip a step');
      const contract = stepContract(this.catalog, task.step_type);
      const problems = validationProblems(contract.output, body.output, { noUndeclaredFields: true });
      if (problems.length > 0) {
        throw new ValidationProblem(problems.map((p) => ({ field: p.path ? `output.${p.path}` : 'output', message: `expected ${p.expected}, got ${p.actual}` })), `The output does not match ${contract.outputName}`);
      }
    } else if (body.output !== undefined) {
      throw ValidationProblem.of('output', "is only taken with action 'skip'");
    }
    const signalId = await this.signals.resolveExhausted(caseId, stepId, body.action, body.output, principal ?? body.principal); // the authenticated caller wins over the body's claim
    return { caseId, taskId: task.task_id, signalId };
  }
}
