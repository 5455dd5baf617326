import { validationProblems, type SchemaCatalog } from '@baton/avro';
import { stepContract } from '@baton/contracts';
import type { HumanTask, ListTasksOptions, ProjectionQueries } from '@baton/projections';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem, type FieldError } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';
import { OPERATOR_QUEUE } from '@baton/workflow-engine';

/** A reviewer's decision as the controller hands it over. */
export interface TaskDecision {
  decision: 'approve' | 'reject' | 'edit';
  output?: unknown;
  comment?: string;
  reviewer?: string;
  /** The authenticated caller who decides (recorded in the signal and the ReviewDecided event). */
  principal?: string;
}

/** What `POST /tasks/{id}/output/check` answers: whether `decision: edit` would take the output. */
export interface OutputCheck {
  valid: boolean;
  /** The step type's output record (`baton.steps.<type>.Output`). */
  record: string;
  /** One per field, as a 400 of the decision would name them (`output.<path>`). */
  errors: FieldError[];
}

/** The output record a reviewer's edit must match, as `GET /tasks/{id}/output-schema` answers. */
export interface OutputSchema {
  stepType: string;
  record: string;
  /** The Avro schema (JSON) of the record. */
  schema: unknown;
}

/**
 * The review task inbox: tasks from the projection, decisions published as `ReviewDecision`
 * signals after the checks a reviewer can act on (the task is open; an edit's output matches
 * the step type's output contract, field by field).
 */
export class TaskInbox {
  constructor(private readonly queries: ProjectionQueries, private readonly catalog: SchemaCatalog, private readonly signals: SignalPublisher) {}

  /** @throws InvalidProjectionQuery for a bad limit */
  list(options: ListTasksOptions): Promise<HumanTask[]> {
    return this.queries.tasks(options);
  }

  /** @throws ResourceNotFound */
  async get(taskId: string, tenant?: string): Promise<HumanTask> {
    const task = await this.queries.task(taskId, tenant);
    if (!task) throw new ResourceNotFound('task', taskId);
    return task;
  }

  /**
   * @throws ResourceNotFound for an unknown task
   * @throws StateConflict when the task is decided or withdrawn
   * @throws ValidationProblem when an edit has no output, or its output breaks the step type's
   *   output contract (`output.<path>` per field)
   */
  async decide(taskId: string, d: TaskDecision, tenant?: string): Promise<{ taskId: string; caseId: string; signalId: string }> {
    const task = await this.get(taskId, tenant);
    if (task.status !== 'open') throw new StateConflict('task', taskId, task.status, `it was ${task.status === 'decided' ? `decided (${task.decision}) by ${task.reviewer ?? task.decidedBy}` : 'withdrawn'}`);
    if (task.queue === OPERATOR_QUEUE) throw ValidationProblem.of('decision', `task '${taskId}' is a step waiting for an operator, not a review: resolve it with POST /cases/${task.caseId}/steps/${task.stepId}/resolve (retry or skip)`);
    let outputRecord: string | undefined;
    if (d.decision === 'edit') {
      if (d.output === undefined) throw ValidationProblem.of('output', 'is required for an edit');
      const check = this.check(task, d.output);
      outputRecord = check.record;
      if (!check.valid) throw new ValidationProblem(check.errors, `The edited output does not match ${check.record}`);
    } else if (d.output !== undefined) {
      throw ValidationProblem.of('output', `is only taken with decision 'edit', not '${d.decision}'`);
    }
    const signalId = await this.signals.decide({ caseId: task.caseId, taskId, ...d, ...(outputRecord !== undefined && { outputRecord }) });
    return { taskId, caseId: task.caseId, signalId };
  }

  /**
   * Checks an edited output against the step type's output record, as {@link decide} would,
   * without deciding anything (the console checks each edit before it offers to send it).
   * @throws ResourceNotFound for an unknown task
   */
  async checkOutput(taskId: string, output: unknown): Promise<OutputCheck> {
    return this.check(await this.get(taskId), output);
  }

  /** The output record of the task's step type. @throws ResourceNotFound for an unknown task */
  async outputSchema(taskId: string): Promise<OutputSchema> {
    const task = await this.get(taskId);
    const contract = stepContract(this.catalog, task.stepType);
    return { stepType: task.stepType, record: contract.outputName, schema: contract.output.schema() };
  }

  private check(task: HumanTask, output: unknown): OutputCheck {
    const contract = stepContract(this.catalog, task.stepType);
    const problems = validationProblems(contract.output, output, { noUndeclaredFields: true });
    return {
      valid: problems.length === 0, record: contract.outputName,
      errors: problems.map((p) => ({ field: p.path ? `output.${p.path}` : 'output', message: `expected ${p.expected}, got ${p.actual}` })),
    };
  }
}
