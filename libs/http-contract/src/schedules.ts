/**
 * The bodies of the schedule routes (`GET /schedules`, `POST /schedules/{id}/pause|unpause`): a
 * workflow's cron triggers as the orchestrators fire them.
 */
import { Type } from '@sinclair/typebox';
import { Bool, Int, JsonObject, NInt, NTime, Str } from './fields';

/** One cron schedule. */
export const Schedule = Type.Object({
  id: Type.String({ description: '`<workflow>:<trigger id>`' }),
  workflow: Str(), workflowVersion: Int(), cron: Str(),
  timezone: Type.String({ description: 'IANA time zone the pattern is read in' }),
  input: JsonObject({ description: 'the case input of every fire' }),
  catchupWindowMs: NInt(),
  paused: Bool(),
  nextFireAt: NTime(), lastFiredAt: NTime(),
  fired: Type.Integer({ description: 'ticks that started a case' }),
  skipped: Type.Integer({ description: 'ticks skipped: older than the catch-up window after downtime, or missed while paused' }),
});

/** `GET /schedules`. */
export const ScheduleList = Type.Object({ schedules: Type.Array(Schedule) });
