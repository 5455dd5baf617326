import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { listSchedules, setSchedulePaused, type EventStore, type Schedule } from '@baton/event-store';
import { schemaRef, type HttpBody } from '@baton/http-contract';
import { ApiProblems } from '../http/api-problem.decorator';
import { Requires } from '../auth/access';
import { ResourceNotFound } from '../errors/resource-not-found';

/** Injection token of the event store whose `schedules` table the routes read and pause. */
export const SCHEDULE_STORE = Symbol('ScheduleStore');

/** One cron schedule as the API answers it (times ISO 8601; `@baton/http-contract` `Schedule`). */
export type ScheduleView = HttpBody<'Schedule'>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (s: Schedule): ScheduleView => ({
  id: s.scheduleId, workflow: s.workflow, workflowVersion: s.workflowVersion, cron: s.cron, timezone: s.timezone, input: s.input,
  catchupWindowMs: s.catchupWindowMs, paused: s.paused, nextFireAt: iso(s.nextFireAt), lastFiredAt: iso(s.lastFiredAt), fired: s.firedCount, skipped: s.skippedCount,
});

/**
 * The workflows' cron schedules (their `triggers`), which the orchestrators fire: list, pause, unpause.
 * A paused schedule fires nothing; unpaused, it skips the ticks it missed rather than catching up.
 */
@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(SCHEDULE_STORE) private readonly store: EventStore) {}

  @Get()
  @Requires('read')
  @ApiOperation({ summary: "Every cron schedule of the workflows' latest versions" })
  @ApiOkResponse({ schema: schemaRef('ScheduleList') })
  async list(): Promise<{ schedules: ScheduleView[] }> {
    return { schedules: (await listSchedules(this.store.pool)).map(view) };
  }

  @Post(':id/pause')
  @Requires('administer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a schedule: it fires nothing until unpaused' })
  @ApiParam({ name: 'id', description: 'schedule id, `<workflow>:<trigger id>`' })
  @ApiOkResponse({ schema: schemaRef('Schedule') })
  @ApiProblems({ 404: 'unknown schedule' })
  pause(@Param('id') id: string): Promise<ScheduleView> {
    return this.set(id, true);
  }

  @Post(':id/unpause')
  @Requires('administer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unpause a schedule: it fires from its next tick; the ticks missed while paused are skipped' })
  @ApiParam({ name: 'id', description: 'schedule id, `<workflow>:<trigger id>`' })
  @ApiOkResponse({ schema: schemaRef('Schedule') })
  @ApiProblems({ 404: 'unknown schedule' })
  unpause(@Param('id') id: string): Promise<ScheduleView> {
    return this.set(id, false);
  }

  private async set(id: string, paused: boolean): Promise<ScheduleView> {
    const s = await setSchedulePaused(this.store.pool, id, paused);
    if (!s) throw new ResourceNotFound('schedule', id);
    return view(s);
  }
}
