import type { Command } from 'commander';
import type { HttpBody } from '@baton/http-contract';
import { CliError, type ApiClient } from './api-client';
import { formatTime } from './render/format';
import type { Style } from './render/style';
import { renderTable } from './render/table';

/** One cron schedule as `GET /schedules` answers it (services/gateway/README.md). */
export type ScheduleView = HttpBody<'Schedule'>;

/** Schedules as a table. */
export function renderSchedules(schedules: readonly ScheduleView[], style: Style): string {
  if (schedules.length === 0) return 'no schedules\n';
  return renderTable([
    { header: 'SCHEDULE', value: (s) => s.id, maxWidth: 60 },
    { header: 'CRON', value: (s) => `${s.cron} (${s.timezone})` },
    { header: 'STATUS', value: (s) => (s.paused ? 'paused' : 'active'), status: true },
    { header: 'NEXT', value: (s) => (s.nextFireAt && !s.paused ? formatTime(s.nextFireAt) : '-') },
    { header: 'LAST', value: (s) => (s.lastFiredAt ? formatTime(s.lastFiredAt) : '-') },
    { header: 'FIRED', value: (s) => String(s.fired), align: 'right' },
    { header: 'SKIPPED', value: (s) => String(s.skipped), align: 'right' },
  ], schedules, style);
}

/**
 * `baton schedules` (list) and `baton schedule <id> --pause | --unpause`, over `GET /schedules`
 * and `POST /schedules/{id}/pause|unpause`.
 */
export function addScheduleCommands(program: Command, api: ApiClient, io: { out: (text: string) => void; style: Style }): void {
  program.command('schedules').description("the workflows' cron schedules: next and last tick, ticks fired and skipped")
    .option('--json', 'print the raw response')
    .action(async (o: { json?: boolean }) => {
      const { schedules } = await api.get<{ schedules: ScheduleView[] }>('/schedules');
      io.out(o.json ? `${JSON.stringify(schedules, null, 2)}\n` : renderSchedules(schedules, io.style));
    });
  program.command('schedule <id>').description('pause or unpause a cron schedule (id: <workflow>:<trigger id>, as `baton schedules` lists)')
    .option('--pause', 'fire nothing until unpaused').option('--unpause', 'fire again from the next tick; the ticks missed while paused are skipped')
    .action(async (id: string, o: { pause?: boolean; unpause?: boolean }) => {
      if (Boolean(o.pause) === Boolean(o.unpause)) throw new CliError('say --pause or --unpause');
      const s = await api.post<ScheduleView>(`/schedules/${encodeURIComponent(id)}/${o.pause ? 'pause' : 'unpause'}`, undefined);
      io.out(`schedule ${s.id} ${s.paused ? 'paused' : `unpaused; next tick ${s.nextFireAt ?? 'none'}`}\n`);
    });
}
