import { validationProblems, type SchemaCatalog } from '@baton/avro';
import { stepContract } from '@baton/contracts';
import type { HumanTask, ListTasksOptions, ProjectionQueries } from '@baton/projections';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';

/** A reviewer's decision as the controller hands it over. */
export interface TaskDecision {
  decision: 'approve' | 'reject' | 'edit';
  output?: unknown;
  comment?: string;
  reviewer?: string;
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
  async get(taskId: string): Promise<HumanTask> {
    const task = await this.queries.task(taskId);
    if (!task) throw new ResourceNotFound('task', taskId);
    return task;
  }

  /**
   * @throws ResourceNotFound for an unknown task
   * @throws StateConflict when the task is decided or withdrawn
   * @throws ValidationProblem when an edit has no output, or its output breaks the step type's
   *   output contract (`output.<path>` per field)
   */
  async decide(taskId: string, d: TaskDecision): Promise<{ taskId: string; caseId: string; signalId: string }> {
    const task = await this.get(taskId);
    if (task.status !== 'open') throw new StateConflict('task', taskId, task.status, `it was ${task.status === 'decided' ? `decided (${task.decision}) by ${task.reviewer ?? task.decidedBy}` : 'withdrawn'}`);
    let outputRecord: string | undefined;
    if (d.decision === 'edit') {
      if (d.output === undefined) throw ValidationProblem.of('output', 'is required for an edit');
      const contract = stepContract(this.catalog, task.stepType);
      outputRecord = contract.outputName;
      const problems = validationProblems(contract.output, d.output, { noUndeclaredFields: true });
      if (problems.length > 0) {
        throw new ValidationProblem(problems.map((p) => ({ field: p.path ? `output.${p.path}` : 'output', message: `expected ${p.expected}, got ${p.actual}` })),
          `The edited output does not match ${contract.outputName}`);
      }
    } else if (d.output !== undefined) {
      throw ValidationProblem.of('output', `is only taken with decision 'edit', not '${d.decision}'`);
    }
    const signalId = await this.signals.decide({ caseId: task.caseId, taskId, ...d, ...(outputRecord !== undefined && { outputRecord }) });
    return { taskId, caseId: task.caseId, signalId };
  }
}
