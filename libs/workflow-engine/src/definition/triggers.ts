import { Cron } from 'croner';
import { parseDuration, InvalidDuration } from '../duration';
import type { DefinitionIssue } from './definition-error';

/** What happens when a trigger names a case key whose case is still running (after Temporal's schedule overlap policies). */
export type OverlapPolicy = 'allowAll' | 'skip' | 'bufferOne' | 'cancelOther';

/** A cron schedule as written: `{ cron: "0 9 * * MON-FRI", timezone: Europe/Berlin, input: {...} }`. */
export interface CronTriggerInput {
  /** Names the schedule (`<workflow>:<id>`); default its index in `triggers`. */
  id?: string;
  /** A cron pattern as croner reads it: 5 fields, or 6 with seconds first (`*\/5 * * * * *`). */
  cron: string;
  /** IANA time zone the pattern is read in; default UTC. */
  timezone?: string;
  /** The case input of every fire; default `{}`. */
  input?: Record<string, unknown>;
  /** ISO-8601 duration: after downtime, ticks at most this old are still fired, older ones skipped and counted; default the orchestrator's `BATON_SCHEDULE_CATCHUP_MS`. */
  catchupWindow?: string;
}

/** A watched directory as written: `{ files: { dir: /data/inbox, pattern: "*.eml" } }`. */
export interface FileTriggerInput {
  id?: string;
  files: { dir: string; pattern?: string };
}

/** One entry of a workflow's `triggers`. */
export type TriggerInput = CronTriggerInput | FileTriggerInput;

/** A compiled cron trigger. */
export interface CronTrigger {
  readonly kind: 'cron';
  readonly id: string;
  readonly cron: string;
  readonly timezone: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** ms; absent: the orchestrator's default. */
  readonly catchupWindowMs?: number;
}

/** A compiled file trigger. */
export interface FileTrigger {
  readonly kind: 'files';
  readonly id: string;
  readonly dir: string;
  /** A glob on the file name; default `*`. */
  readonly pattern: string;
}

/** A compiled trigger. */
export type TriggerDefinition = CronTrigger | FileTrigger;

/**
 * Compiles `triggers`: each entry is a cron schedule or a watched directory (exactly one of `cron`
 * and `files`), its pattern and time zone checked with croner, its durations parsed, ids unique.
 * Problems are appended to `issues` (field `triggers[<i>].<name>`).
 * @internal
 */
export function compileTriggers(triggers: readonly TriggerInput[], issues: DefinitionIssue[]): TriggerDefinition[] {
  const out: TriggerDefinition[] = [];
  const ids = new Set<string>();
  triggers.forEach((t, i) => {
    const at = `triggers[${i}]`;
    const id = t.id ?? String(i);
    if (ids.has(id)) issues.push({ field: `${at}.id`, message: `'${id}' is used by another trigger` });
    ids.add(id);
    const cron = 'cron' in t ? t : undefined;
    const files = 'files' in t ? t : undefined;
    if ((cron === undefined) === (files === undefined)) {
      issues.push({ field: at, message: 'must have exactly one of cron and files' });
      return;
    }
    if (cron) {
      const timezone = cron.timezone ?? 'UTC';
      try {
        new Cron(cron.cron, { timezone, paused: true }).nextRun();
      } catch (e) {
        const field = /timezone/i.test((e as Error).message) ? 'timezone' : 'cron';
        issues.push({ field: `${at}.${field}`, message: `is not valid: ${(e as Error).message}` });
      }
      let catchupWindowMs: number | undefined;
      if (cron.catchupWindow !== undefined) {
        try {
          catchupWindowMs = parseDuration(cron.catchupWindow);
        } catch (e) {
          if (!(e instanceof InvalidDuration)) throw e;
          issues.push({ field: `${at}.catchupWindow`, message: `is not a valid duration: ${e.message}` });
        }
      }
      out.push({ kind: 'cron', id, cron: cron.cron, timezone, input: cron.input ?? {}, ...(catchupWindowMs !== undefined && { catchupWindowMs }) });
    } else if (files) {
      out.push({ kind: 'files', id, dir: files.files.dir, pattern: files.files.pattern ?? '*' });
    }
  });
  return out;
}

/**
 * The ticks of a cron trigger after `afterMs` up to `untilMs` (epoch ms, both exclusive of
 * `afterMs`, inclusive of `untilMs`), at most `limit` of them, and the first tick after `untilMs`.
 */
export function cronTicks(trigger: Pick<CronTrigger, 'cron' | 'timezone'>, afterMs: number, untilMs: number, limit: number): { ticks: number[]; next: number | null } {
  const cron = new Cron(trigger.cron, { timezone: trigger.timezone, paused: true });
  const ticks: number[] = [];
  let at = cron.nextRun(new Date(afterMs));
  while (at && at.getTime() <= untilMs && ticks.length < limit) {
    ticks.push(at.getTime());
    at = cron.nextRun(at);
  }
  return { ticks, next: at ? at.getTime() : null };
}
