import type { DefinitionRegistry } from '@baton/definitions';
import type { ProjectionQueries } from '@baton/projections';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';

/** Who asks: the caller's `requestedBy`, and the authenticated principal when the gateway knows it. */
export interface Requester {
  requestedBy?: string;
  principal?: string;
}

/**
 * Case-level operator controls (pause, resume, reset), checked against the projected case before
 * the signal is published; the orchestrator checks again against the case's own state (a request
 * that races another change changes nothing there, or is dead-lettered with the reason).
 */
export class CaseControlActions {
  constructor(private readonly queries: ProjectionQueries, private readonly registry: DefinitionRegistry, private readonly signals: SignalPublisher) {}

  /**
   * @throws ResourceNotFound for an unknown case
   * @throws StateConflict when the case is not open (ended, compensating) or is already paused
   */
  async pause(caseId: string, o: Requester & { reason?: string }): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.open(caseId, 'paused');
    if (summary.controls?.paused) throw new StateConflict('case', caseId, 'paused', `it was paused by ${summary.controls.paused.by} at ${summary.controls.paused.at}`);
    return { caseId, signalId: await this.signals.pause(caseId, o) };
  }

  /**
   * @throws ResourceNotFound for an unknown case
   * @throws StateConflict when the case is not paused
   */
  async resume(caseId: string, o: Requester): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.summary(caseId);
    if (!summary.controls?.paused) throw new StateConflict('case', caseId, summary.status, 'only a paused case can be resumed');
    return { caseId, signalId: await this.signals.resume(caseId, o) };
  }

  /**
   * @throws ResourceNotFound for an unknown case
   * @throws ValidationProblem (`step`) when the pinned definition has no such step, or it is fallback-only
   * @throws StateConflict when the case is not open (retry a failed case instead)
   */
  async reset(caseId: string, stepId: string, o: Requester & { reason?: string }): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.summary(caseId);
    const definition = await this.registry.get(summary.workflow, summary.workflowVersion);
    const step = definition.steps[stepId];
    if (!step) throw ValidationProblem.of('step', `workflow '${definition.name}' version ${definition.version} has no step '${stepId}'; its steps are ${definition.stepOrder.join(', ')}`);
    if (step.fallbackFor !== undefined) throw ValidationProblem.of('step', `step '${stepId}' is fallback-only; reset '${step.fallbackFor}' instead`);
    await this.open(caseId, 'reset');
    return { caseId, signalId: await this.signals.reset(caseId, stepId, o) };
  }

  private async open(caseId: string, what: string) {
    const summary = await this.summary(caseId);
    if (summary.status !== 'running' && summary.status !== 'awaiting-review') {
      throw new StateConflict('case', caseId, summary.status, `only an open case can be ${what}${summary.status === 'failed' ? ' (retry a failed case)' : ''}`);
    }
    return summary;
  }

  private async summary(caseId: string) {
    const detail = await this.queries.getCase(caseId);
    if (!detail) throw new ResourceNotFound('case', caseId);
    return detail.summary;
  }
}
