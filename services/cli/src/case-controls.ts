import type { ApiClient } from './api-client';
import type { PauseRequest, ResetRequest, ResumeRequest, SignalAcceptedView } from './api-types';
import { CliError } from './api-client';

/** The options of `baton case <id>` that act on the case instead of showing it. */
export interface CaseControlOptions {
  pause?: boolean;
  resume?: boolean;
  /** The step to reset the case to. */
  reset?: string;
  reason?: string;
}

/**
 * `baton case <id> --pause [--reason <text>]`, `--resume`, `--reset <step> [--reason <text>]`:
 * posts the control to the gateway (requestedBy: `$USER`).
 * @returns the line to print, or undefined when no control option was given
 * @throws CliError when more than one control is given
 */
export async function runCaseControl(api: ApiClient, id: string, o: CaseControlOptions): Promise<string | undefined> {
  const given = [o.pause && '--pause', o.resume && '--resume', o.reset !== undefined && '--reset'].filter(Boolean);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new CliError(`give one of --pause, --resume, --reset (got ${given.join(', ')})`);
  const path = `/cases/${encodeURIComponent(id)}`;
  const by = process.env.USER ? { requestedBy: process.env.USER } : {};
  const reason = o.reason !== undefined ? { reason: o.reason } : {};
  if (o.pause) {
    const res = await api.post<SignalAcceptedView>(`${path}/pause`, { ...reason, ...by } satisfies PauseRequest);
    return `pause requested: case ${id} (signal ${res.signalId})\n`;
  }
  if (o.resume) {
    const res = await api.post<SignalAcceptedView>(`${path}/resume`, { ...by } satisfies ResumeRequest);
    return `resume requested: case ${id} (signal ${res.signalId})\n`;
  }
  const res = await api.post<SignalAcceptedView>(`${path}/reset`, { step: o.reset!, ...reason, ...by } satisfies ResetRequest);
  return `reset requested: case ${id} from step ${o.reset} (signal ${res.signalId})\n`;
}
