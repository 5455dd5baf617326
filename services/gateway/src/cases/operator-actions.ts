import type { DefinitionRegistry } from '@baton/definitions';
import type { EventStore } from '@baton/event-store';
import { findStuckCases, type ProjectionQueries, type StuckCase } from '@baton/projections';
import type { CaseStatus } from '@baton/workflow-engine';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';
import type { Principal } from '@baton/auth';

/** Statuses a cancel cannot change: the case ended, or is already being undone. */
const NOT_CANCELLABLE: readonly CaseStatus[] = ['completed', 'failed', 'cancelled', 'compensating'];
/** Statuses of an ended case: nothing to repair. */
const ENDED: readonly CaseStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * Operator actions on a case (retry from a step, cancel, find stuck cases and repair them), checked against the projected status
 * and the pinned definition before the signal is published. The orchestrator checks again
 * against the case's own state: a request that races another change is refused there.
 */
export class OperatorActions {
  constructor(private readonly queries: ProjectionQueries, private readonly registry: DefinitionRegistry, private readonly signals: SignalPublisher, private readonly store: EventStore) {}

  /**
   * @throws ResourceNotFound for an unknown case
   * @throws ValidationProblem (`step`) when the pinned definition has no such step, or it is fallback-only
   * @throws StateConflict when the case is not failed
   */
  async retry(caseId: string, stepId: string, requestedBy: string | undefined, principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.summary(caseId, principal.tenant);
    const definition = await this.registry.get(summary.workflow, summary.workflowVersion);
    const step = definition.steps[stepId];
    if (!step) throw ValidationProblem.of('step', `workflow '${definition.name}' version ${definition.version} has no step '${stepId}'; its steps are ${definition.stepOrder.join(', ')}`);
    if (step.fallbackFor !== undefined) throw ValidationProblem.of('step', `step '${stepId}' is fallback-only; retry '${step.fallbackFor}' instead`);
    if (summary.status !== 'failed') throw new StateConflict('case', caseId, summary.status, 'only a failed case can be retried');
    return { caseId, signalId: await this.signals.retry(caseId, stepId, requestedBy, principal.subject) };
  }

  /**
   * @throws ResourceNotFound for an unknown case
   * @throws StateConflict when the case has ended (or is being compensated)
   */
  async cancel(caseId: string, reason: string, requestedBy: string | undefined, principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.summary(caseId, principal.tenant);
    if (NOT_CANCELLABLE.includes(summary.status)) throw new StateConflict('case', caseId, summary.status, 'only a case in progress can be cancelled');
    return { caseId, signalId: await this.signals.cancel(caseId, reason, requestedBy, principal.subject) };
  }

  /**
   * Asks the orchestrator to repair a case: every timer its events expect is set again, and the
   * ready steps are scheduled when nothing is pending (harmless on a case that is fine).
   * @throws ResourceNotFound for an unknown case
   * @throws StateConflict when the case has ended
   */
  async repair(caseId: string, requestedBy: string | undefined, principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const summary = await this.summary(caseId, principal.tenant);
    if (ENDED.includes(summary.status)) throw new StateConflict('case', caseId, summary.status, 'only a case in progress can be repaired');
    return { caseId, signalId: await this.signals.repair(caseId, requestedBy, principal.subject) };
  }

  /** Open cases that nothing will wake, each with its reasons (see `findStuckCases`). */
  stuck(workflow: string | undefined, tenant: string): Promise<StuckCase[]> {
    return findStuckCases(this.store, { tenant, ...(workflow !== undefined && { workflow }) });
  }

  private async summary(caseId: string, tenant: string) {
    const detail = await this.queries.getCase(caseId, tenant);
    if (!detail) throw new ResourceNotFound('case', caseId);
    return detail.summary;
  }
}
