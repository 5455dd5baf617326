import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@baton/event-store';
import { ProjectionQueries, replayCase, replayRange, type CaseReplay, type ReplayDifference } from '@baton/projections';
import { ApiProblems } from '../http/api-problem.decorator';
import { Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { Principal } from '@baton/auth';
import { ResourceNotFound } from '../errors/resource-not-found';
import { ValidationProblem } from '../errors/validation-problem';

/** Injection token of the event store the replay reads. */
export const REPLAY_STORE = Symbol('ReplayStore');

/** One case's replay as the API answers it. */
export interface CaseReplayView {
  caseId: string;
  events: number;
  /** The status today's decider folds the events to. */
  status: string;
  differences: ReplayDifference[];
}

const view = (r: CaseReplay): CaseReplayView => ({ caseId: r.caseId, events: r.events, status: r.state.status, differences: r.differences });
const replaySchema = {
  type: 'object', required: ['caseId', 'events', 'status', 'differences'],
  properties: {
    caseId: { type: 'string' }, events: { type: 'integer' }, status: { type: 'string' },
    differences: { type: 'array', items: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, stored: {}, replayed: {} } } },
  },
};

/**
 * Replay: re-folds cases' stored events with today's decider and reports where the stored
 * projection differs (`replayCase` in `@baton/projections`); what `baton replay` prints.
 */
@ApiTags('cases')
@Controller()
export class ReplayController {
  private readonly queries: ProjectionQueries;

  constructor(@Inject(REPLAY_STORE) private readonly store: EventStore) {
    this.queries = new ProjectionQueries(store.pool);
  }

  @Get('cases/:id/replay')
  @Requires('operate')
  @ApiOperation({ summary: "Re-fold a case's events with today's decider and compare with its projection" })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiOkResponse({ schema: replaySchema })
  @ApiProblems({ 404: 'unknown case' })
  async one(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CaseReplayView> {
    if ((await this.store.streamVersion(null, id)) === 0 || !(await this.queries.getCase(id, principal.tenant))) throw new ResourceNotFound('case', id);
    return view(await replayCase(this.store, this.queries, id));
  }

  @Get('replay')
  @Requires('operate')
  @ApiOperation({ summary: 'Replay every case with an event in a time range (at most 1 000 cases)' })
  @ApiQuery({ name: 'from', description: 'ISO 8601 time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 time, exclusive; default now' })
  @ApiOkResponse({ schema: { type: 'object', properties: { cases: { type: 'array', items: replaySchema }, differing: { type: 'integer' } } } })
  @ApiProblems({ 400: 'from or to is not a time' })
  async range(@Query('from') from: unknown, @Query('to') to: unknown, @CurrentPrincipal() principal: Principal): Promise<{ cases: CaseReplayView[]; differing: number }> {
    const time = (v: unknown, name: string, fallback?: number): number => {
      if (v === undefined && fallback !== undefined) return fallback;
      const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
      if (Number.isNaN(t)) throw ValidationProblem.of(name, `must be an ISO 8601 time, got ${JSON.stringify(v ?? null)}`);
      return t;
    };
    const cases = (await replayRange(this.store, this.queries, { from: time(from, 'from'), to: time(to, 'to', Date.now()), tenant: principal.tenant })).map(view);
    return { cases, differing: cases.filter((c) => c.differences.length > 0).length };
  }
}
