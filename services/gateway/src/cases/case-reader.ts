import type { EventStore, RecordedEvent } from '@baton/event-store';
import type { CaseDetail, CasePage, ListCasesOptions, ProjectionQueries } from '@baton/projections';
import { CASE_EVENT_TYPES, upcast } from '@baton/workflow-engine';
import { ResourceNotFound } from '../errors/resource-not-found';
import { buildTrace, type CaseTrace } from './trace';

/** An event of a case as `GET /cases/{id}/events` returns it. */
export interface CaseEventView {
  type: string;
  data: unknown;
  metadata: unknown;
  streamPosition: number;
  globalPosition: number;
  eventId: string;
  recordedAt: string;
}

const NOT_YET = 'a case just started appears once the orchestrator has recorded it, usually within milliseconds';

/**
 * The read side of cases: summaries and traces from the projections, the event history from the
 * event store. The projections trail the store by the projector's lag (eventually consistent).
 */
export class CaseReader {
  constructor(private readonly queries: ProjectionQueries, private readonly store: EventStore, private readonly clock: () => number = Date.now) {}

  /**
   * That case `caseId` exists and belongs to `tenant`, read from its first event (`CaseStarted.tenant`,
   * absent: `default`) in the event store, so a case just started is found before the projections
   * have it. For the routes that act on a case by id (signals, controls, resolve).
   * @throws ResourceNotFound when there is no such case, or it is another tenant's
   */
  async requireInTenant(caseId: string, tenant: string): Promise<void> {
    const { rows } = await this.store.pool.query<{ tenant: string | null }>(
      "SELECT data->>'tenant' AS tenant FROM events WHERE stream_id = $1 AND stream_position = 1 AND event_type = 'CaseStarted'", [caseId]);
    if (rows.length === 0 || (rows[0]!.tenant ?? 'default') !== tenant) throw new ResourceNotFound('case', caseId);
  }

  /** @throws ResourceNotFound */
  async get(caseId: string, tenant: string): Promise<CaseDetail> {
    const detail = await this.queries.getCase(caseId, tenant);
    if (!detail) throw new ResourceNotFound('case', caseId, NOT_YET);
    return detail;
  }

  /** @throws InvalidProjectionQuery for a bad limit or cursor */
  list(options: ListCasesOptions): Promise<CasePage> {
    return this.queries.listCases(options);
  }

  /** Every event of the case in stream order. @throws ResourceNotFound when the store has none */
  async events(caseId: string, tenant: string): Promise<CaseEventView[]> {
    // The event store has no tenant: the projection says whose case it is (and a case it has not recorded yet is not shown).
    if (!(await this.queries.getCase(caseId, tenant))) throw new ResourceNotFound('case', caseId, NOT_YET);
    const events = await this.store.readStream(caseId);
    if (events.length === 0) throw new ResourceNotFound('case', caseId, NOT_YET);
    return events.map(toView);
  }

  /** @throws ResourceNotFound */
  async trace(caseId: string, tenant: string): Promise<CaseTrace> {
    const detail = await this.get(caseId, tenant);
    return buildTrace(detail, await this.queries.timeline(caseId), this.clock());
  }
}

function toView(e: RecordedEvent): CaseEventView {
  return {
    // Today's shape of a known event type (upcast), as the projections and the decider read it.
    type: e.type, data: (CASE_EVENT_TYPES as readonly string[]).includes(e.type) ? upcast(e).data : e.data, metadata: e.metadata, streamPosition: e.streamPosition, globalPosition: e.globalPosition,
    eventId: e.eventId, recordedAt: e.recordedAt.toISOString(),
  };
}
