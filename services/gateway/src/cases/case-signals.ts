import type { EventStore } from '@baton/event-store';
import { ResourceNotFound } from '../errors/resource-not-found';
import { ValidationProblem } from '../errors/validation-problem';
import type { SignalPublisher } from '../messaging/signal-publisher';

/** A signal name as a `wait: { signal }` step declares it (libs/workflow-engine, definition schema). */
const SIGNAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Sends named signals to cases (`POST /cases/{id}/signals/{name}`): the case must exist (in the
 * event store, so a case started a moment ago, not yet projected, counts); whether a
 * `wait` step takes the signal, keeps it for later or ignores it is the orchestrator's decision,
 * recorded in the case's events.
 */
export class CaseSignals {
  constructor(private readonly store: EventStore, private readonly signals: SignalPublisher) {}

  /**
   * @param data - the signal's JSON data (the wait step's output); absent: null
   * @param signalId - the caller's idempotency key; default a fresh UUID
   * @throws ValidationProblem (`name`) for a name that is not a signal name (letters, digits, `.`, `_`, `-`; at most 200 characters)
   * @throws ResourceNotFound for an unknown case
   */
  async send(caseId: string, name: string, data?: unknown, signalId?: string, principal?: string): Promise<{ caseId: string; signalId: string }> {
    checkSignalName(name);
    if (((await this.store.streamVersions([caseId])).get(caseId) ?? 0) === 0) throw new ResourceNotFound('case', caseId);
    return { caseId, signalId: await this.signals.signal({ caseId, name, ...(data !== undefined && { data }), ...(signalId !== undefined && { signalId }), ...(principal !== undefined && { principal }) }) };
  }
}

/**
 * Refuses a signal name the route cannot carry.
 * @throws ValidationProblem naming `name`: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 characters
 */
export function checkSignalName(name: string): void {
  if (!SIGNAL_NAME.test(name) || name.length > 200) {
    throw ValidationProblem.of('name', `'${name.slice(0, 200)}' is not a signal name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 characters`);
  }
}
