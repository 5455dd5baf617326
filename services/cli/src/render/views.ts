import type { CaseDetailView, CasePageView, CaseReplayView, StuckCaseView, TaskView } from '../api-types';
import { formatCost, formatDuration, formatTime } from './format';
import { paint, statusColour, type Style } from './style';
import { renderTable } from './table';

const plain: Style = { color: false, unicode: true };

/** A page of cases as a table, with the command for the next page when there is one. */
export function renderCasePage(page: CasePageView, style: Style = plain): string {
  if (page.items.length === 0) return 'no cases\n';
  const table = renderTable([
    { header: 'CASE', value: (c) => c.caseId, maxWidth: 36 },
    { header: 'WORKFLOW', value: (c) => `${c.workflow} v${c.workflowVersion}` },
    { header: 'STATUS', value: (c) => c.status, status: true },
    { header: 'STARTED', value: (c) => formatTime(c.startedAt) },
    { header: 'DURATION', value: (c) => formatDuration(c.durationMs), align: 'right' },
    { header: 'KEY', value: (c) => c.caseKey ?? '', maxWidth: 30 },
  ], page.items, style);
  return page.nextCursor ? `${table}next page: --cursor ${page.nextCursor}\n` : table;
}

/** One case: its summary lines, then a table of its step attempts. */
export function renderCase(detail: CaseDetailView, style: Style = plain): string {
  const s = detail.summary;
  const lines = [
    `case      ${s.caseId}`,
    `workflow  ${s.workflow} v${s.workflowVersion}${s.caseKey ? ` (key ${s.caseKey})` : ''}`,
    `status    ${paint(style, statusColour(s.status), s.status)}${s.slaBreached ? ' (SLA breached)' : ''}${s.controls?.paused ? ` (paused by ${s.controls.paused.by})` : ''}`,
    `started   ${formatTime(s.startedAt)}${s.finishedAt ? `, ended ${formatTime(s.finishedAt)} after ${formatDuration(s.durationMs)}` : ''}`,
  ];
  if (s.stepsInFlight.length > 0) lines.push(`in flight ${s.stepsInFlight.join(', ')}`);
  const usage = s.controls?.usage;
  if (usage && (usage.tokens > 0 || usage.costMicros > 0)) lines.push(`usage     ${usage.tokens} tokens, $${usage.cost}${s.controls!.budgetExceeded ? ' (over budget)' : ''}`);
  if (s.failure) lines.push(`failure   ${s.failure.stepId}: ${s.failure.error.name}: ${s.failure.error.message}`);
  if (s.cancellation) lines.push(`cancelled ${s.cancellation.reason}${s.cancellation.requestedBy ? ` (by ${s.cancellation.requestedBy})` : ''}`);
  const skipped = Object.entries(s.steps).filter(([, v]) => v.status === 'skipped').map(([k]) => k);
  if (skipped.length > 0) lines.push(`skipped   ${skipped.join(', ')}`);
  const table = detail.executions.length === 0 ? 'no step attempts yet\n' : renderTable([
    { header: 'STEP', value: (e) => e.stepId },
    { header: '#', value: (e) => String(e.attempt), align: 'right' },
    { header: 'TYPE', value: (e) => e.stepType },
    { header: 'STATUS', value: (e) => e.status, status: true },
    { header: 'SCHEDULED', value: (e) => formatTime(e.scheduledAt) },
    { header: 'DURATION', value: (e) => formatDuration(e.durationMs), align: 'right' },
    { header: 'DETAILS', value: (e) => [e.error ? `${e.error.name}: ${e.error.message}` : '', e.model ? `${e.model}${e.costUsd !== null ? ` ${formatCost(e.costUsd)}` : ''}` : ''].filter(Boolean).join('; '), maxWidth: 60 },
  ], detail.executions, style);
  return `${lines.join('\n')}\n\n${table}`;
}

/** Review tasks as a table. */
export function renderTasks(tasks: readonly TaskView[], style: Style = plain): string {
  if (tasks.length === 0) return 'no tasks\n';
  return renderTable([
    { header: 'TASK', value: (t) => t.taskId, maxWidth: 70 },
    { header: 'QUEUE', value: (t) => `${t.queue}${t.escalated ? ' (escalated)' : ''}` },
    { header: 'STATUS', value: (t) => t.status, status: true },
    { header: 'STEP', value: (t) => `${t.stepId} (${t.stepType})` },
    { header: 'REQUESTED', value: (t) => formatTime(t.requestedAt) },
    { header: 'REASON', value: (t) => t.reason, maxWidth: 50 },
  ], tasks, style);
}

/** Stuck cases: one block per case with its reasons and the repair command. */
export function renderStuckCases(cases: readonly StuckCaseView[], style: Style = plain): string {
  if (cases.length === 0) return 'no stuck cases\n';
  const blocks = cases.map((c) => [
    `${paint(style, statusColour('failed'), 'stuck')} ${c.caseId} (${c.workflow} v${c.workflowVersion}, ${c.status})`,
    ...(c.lastEvent ? [`  last event ${c.lastEvent.type} at ${formatTime(c.lastEvent.recordedAt)}`] : []),
    ...c.reasons.map((r) => `  - ${r}`),
    `  repair: ${c.repair}`,
  ].join('\n'));
  return `${blocks.join('\n\n')}\n\n${cases.length} stuck case${cases.length === 1 ? '' : 's'}\n`;
}

/** `baton replay`: per case, whether its projection matches the fold of its events, and each difference. */
export function renderReplays(cases: readonly CaseReplayView[], style: Style = plain): string {
  const lines = cases.flatMap((c) => [
    `${c.differences.length === 0 ? paint(style, statusColour('completed'), 'ok') : paint(style, statusColour('failed'), 'differs')} ${c.caseId}: ${c.events} events, ${c.status}`,
    ...c.differences.map((d) => `  ${d.path}: stored ${JSON.stringify(d.stored)}, replayed ${JSON.stringify(d.replayed)}`),
  ]);
  const differing = cases.filter((c) => c.differences.length > 0).length;
  return `${lines.join('\n')}${lines.length ? '\n\n' : ''}${cases.length} case${cases.length === 1 ? '' : 's'} replayed, ${differing} with differences\n`;
}
