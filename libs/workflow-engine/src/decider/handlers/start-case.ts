import type { StartCase } from '../../commands';
import { emit, setTimer, type Draft } from '../draft';
import { timerId } from '../ids';
import { CaseAlreadyStarted } from '../errors';
import { advance } from '../progress';
import { armDeadline } from '../controls/deadline';

/** StartCase: CaseStarted, the SLA and case-deadline timers, and the first ready steps. @internal */
export async function startCase(d: Draft, cmd: StartCase): Promise<void> {
  if (d.state.status !== 'new') throw new CaseAlreadyStarted(d.state.caseId ?? cmd.data.caseId, d.state.status);
  const wf = d.ctx.workflow;
  const { caseId, input, key, triggeredBy, tenant } = cmd.data;
  const slaDueAt = wf.slaMs !== undefined ? d.ctx.now + wf.slaMs : undefined;
  const deadlineAt = armDeadline(d, caseId);
  emit(d, {
    type: 'CaseStarted',
    data: {
      caseId, workflow: wf.name, version: wf.version, input: input ?? null, ...(key !== undefined && { key }), triggeredBy,
      startedAt: d.ctx.now, ...(slaDueAt !== undefined && { slaDueAt }), ...(deadlineAt !== undefined && { deadlineAt }), ...(cmd.data.parent !== undefined && { parent: cmd.data.parent }), ...(tenant !== undefined && { tenant }),
    },
  });
  if (slaDueAt !== undefined) setTimer(d, { timerId: timerId(caseId, 'sla'), kind: 'sla', dueAt: slaDueAt });
  await advance(d);
}
