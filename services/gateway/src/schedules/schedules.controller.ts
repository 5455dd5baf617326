import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { listSchedules, setSchedulePaused, type EventStore, type Schedule } from '@baton/event-store';
import { ApiProblems } from '../http/api-problem.decorator';
import { ResourceNotFound } from '../errors/resource-not-found';

/** Injection token of the event store whose `schedules` table the routes read and pause. */
export const SCHEDULE_STORE = Symbol('ScheduleStore');

/** One cron schedule as the API answers it (times ISO 8601). */
export interface ScheduleView {
  /** `<workflow>:<trigger id>`. */
  id: string;
  workflow: string;
  workflowVersion: number;
  cron: string;
  timezone: string;
  input: Record<string, unknown>;
  /** null: the orchestrator's `BATON_SCHEDULE_CATCHUP_MS`. */
  catchupWindowMs: number | null;
  paused: boolean;
  nextFireAt: string | null;
  lastFiredAt: string | null;
  /** Ticks that started a case. */
  fired: number;
  /** Ticks skipped: older than the catch-up window after downtime, or missed while paused. */
  skipped: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (s: Schedule): ScheduleView => ({
  id: s.scheduleId, workflow: s.workflow, workflowVersion: s.workflowVersion, cron: s.cron, timezone: s.timezone, input: s.input,
  catchupWindowMs: s.catchupWindowMs, paused: s.paused, nextFireAt: iso(s.nextFireAt), lastFiredAt: iso(s.lastFiredAt), fired: s.firedCount, skipped: s.skippedCount,
});
const scheduleSchema = {
  type: 'object',
  required: ['id', 'workflow', 'workflowVersion', 'cron', 'timezone', 'input', 'catchupWindowMs', 'paused', 'nextFireAt', 'lastFiredAt', 'fired', 'skipped'],
  properties: {
    id: { type: 'string' }, workflow: { type: 'string' }, workflowVersion: { type: 'integer' }, cron: { type: 'string' }, timezone: { type: 'string' },
    input: { type: 'object' }, catchupWindowMs: { type: 'integer', nullable: true }, paused: { type: 'boolean' },
    nextFireAt: { type: 'string', format: 'date-time', nullable: true }, lastFiredAt: { type: 'string', format: 'date-time', nullable: true },
    fired: { type: 'integer' }, skipped: { type: 'integer' },
  },
};

/**
 * The workflows' cron schedules (their `triggers`), which the orchestrators fire: list, pause, unpause.
 * A paused schedule fires nothing; unpaused, it skips the ticks it missed rather than catching up.
 */
@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(SCHEDULE_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: "Every cron schedule of the workflows' latest versions" })
  @ApiOkResponse({ schema: { type: 'object', required: ['schedules'], properties: { schedules: { type: 'array', items: scheduleSchema } } } })
  async list(): Promise<{ schedules: ScheduleView[] }> {
    return { schedules: (await listSchedules(this.store.pool)).map(view) };
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a schedule: it fires nothing until unpaused' })
  @ApiParam({ name: 'id', description: 'schedule id, `<workflow>:<trigger id>`' })
  @ApiOkResponse({ schema: scheduleSchema })
  @ApiProblems({ 404: 'unknown schedule' })
  pause(@Param('id') id: string): Promise<ScheduleView> {
    return this.set(id, true);
  }

  @Post(':id/unpause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unpause a schedule: it fires from its next tick; the ticks missed while paused are skipped' })
  @ApiParam({ name: 'id', description: 'schedule id, `<workflow>:<trigger id>`' })
  @ApiOkResponse({ schema: scheduleSchema })
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
