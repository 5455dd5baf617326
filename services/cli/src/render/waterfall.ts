import type { CaseTraceView, TraceAttemptView, TraceStepView } from '../api-types';
import { formatCost, formatDuration, formatOffset, truncate } from './format';
import { paint, statusColour, type Style } from './style';

/** Options of {@link renderWaterfall}. */
export interface WaterfallOptions {
  /** Width of the timeline bar in characters; default 40. */
  barWidth?: number;
  style?: Style;
}

interface Row {
  step: string;
  attempt: string;
  status: string;
  start: string;
  duration: string;
  bar: string;
  details: string;
}

/**
 * A case's trace as a terminal waterfall: a header line, then one row per step attempt (a
 * skipped step gets one row without attempt) with status, start offset, duration, a bar on a
 * timeline scaled to the whole case, the error or the model usage, and under it one line per
 * review. Pure: the same trace always renders the same text.
 *
 * ```
 * step      #  status     start    duration  timeline                                  details
 * parse     1  completed  +0ms     12ms      █                                        
 * classify  1  completed  +15ms    800ms     ░████████████████████                     fast 120→8 tok $0.0021
 *             ↳ review approve by ada after 1.20s
 * ```
 */
export function renderWaterfall(trace: CaseTraceView, options: WaterfallOptions = {}): string {
  const style = options.style ?? { color: false, unicode: true };
  const width = Math.max(10, options.barWidth ?? 40);
  const scale = width / Math.max(trace.durationMs, 1);
  const glyph = style.unicode ? { full: '█', empty: ' ', skip: '·', arrow: '↳', tok: '→' } : { full: '#', empty: ' ', skip: '.', arrow: '->', tok: '/' };

  const bar = (offset: number, duration: number | null): string => {
    const start = Math.min(width - 1, Math.max(0, Math.floor(offset * scale)));
    if (duration === null) return (glyph.empty.repeat(start) + glyph.skip).padEnd(width, glyph.empty);
    const length = Math.max(1, Math.min(width - start, Math.round(duration * scale)));
    return glyph.empty.repeat(start) + glyph.full.repeat(length) + glyph.empty.repeat(width - start - length);
  };

  const rows: { row: Row; reviews: string[] }[] = [];
  for (const step of trace.steps) {
    const label = step.stepType && step.stepType !== step.stepId ? `${step.stepId} (${step.stepType})` : step.stepId;
    if (step.attempts.length === 0) {
      rows.push({
        row: { step: label, attempt: '-', status: step.status, start: formatOffset(step.startOffsetMs), duration: '-', bar: step.startOffsetMs === null ? ''.padEnd(width) : bar(step.startOffsetMs, null), details: step.skipReason ?? itemsDetails(step) },
        reviews: reviewLines(step, glyph.arrow),
      });
      continue;
    }
    step.attempts.forEach((a, i) => {
      rows.push({
        row: { step: i === 0 ? label : '', attempt: String(a.attempt), status: a.status, start: formatOffset(a.startOffsetMs), duration: formatDuration(a.durationMs), bar: bar(a.startOffsetMs, a.durationMs), details: attemptDetails(a, glyph.tok) },
        reviews: i === step.attempts.length - 1 ? reviewLines(step, glyph.arrow) : [],
      });
    });
  }

  const header: Row = { step: 'step', attempt: '#', status: 'status', start: 'start', duration: 'duration', bar: 'timeline'.padEnd(width), details: 'details' };
  const all = [header, ...rows.map((r) => r.row)];
  const w = {
    step: Math.min(40, Math.max(...all.map((r) => r.step.length))), attempt: Math.max(...all.map((r) => r.attempt.length)),
    status: Math.max(...all.map((r) => r.status.length)), start: Math.max(...all.map((r) => r.start.length)), duration: Math.max(...all.map((r) => r.duration.length)),
  };
  const sep = style.unicode ? '│' : '|';
  const format = (r: Row, isHeader: boolean) => {
    const status = r.status.padEnd(w.status);
    return [
      truncate(r.step, w.step).padEnd(w.step), r.attempt.padStart(w.attempt), isHeader ? status : paint(style, statusColour(r.status), status),
      r.start.padStart(w.start), r.duration.padStart(w.duration), `${sep}${isHeader ? r.bar : paint(style, statusColour(r.status), r.bar)}${sep}`, r.details,
    ].join('  ').trimEnd();
  };

  const lines = [headline(trace, style), format(header, true)];
  const indent = ' '.repeat(w.step + 2);
  for (const { row, reviews } of rows) {
    lines.push(format(row, false));
    for (const r of reviews) lines.push(paint(style, 'dim', `${indent}${r}`));
  }
  if (trace.failure) lines.push(paint(style, 'red', `failed at ${trace.failure.stepId}: ${trace.failure.error.name}: ${trace.failure.error.message}`));
  lines.push(...familyLines(trace));
  return lines.join('\n') + '\n';
}

function headline(t: CaseTraceView, style: Style): string {
  const dot = style.unicode ? ' · ' : ' - ';
  const parts = [`case ${t.caseId}`, `${t.workflow} v${t.version}`, paint(style, statusColour(t.status), t.status), formatDuration(t.durationMs),
    `${t.steps.length} steps, ${t.totals.attempts} attempts`];
  if (t.totals.inputTokens + t.totals.outputTokens > 0) parts.push(`${t.totals.inputTokens} in / ${t.totals.outputTokens} out tokens`);
  if (t.totals.costUsd > 0) parts.push(formatCost(t.totals.costUsd));
  const c = t.controls;
  if (c?.paused) parts.push(paint(style, 'yellow', `paused by ${c.paused.by}`));
  if (c?.budgetExceeded) parts.push(paint(style, 'red', 'over budget'));
  if (c?.timedOut) parts.push(paint(style, 'red', 'passed its deadline'));
  if (c && c.resets > 0) parts.push(`reset ${c.resets}x`);
  return parts.join(dot);
}

function attemptDetails(a: TraceAttemptView, tok: string): string {
  const parts: string[] = [];
  if (a.error) parts.push(truncate(`${a.error.name}: ${a.error.message}`, 80));
  if (a.model) {
    let usage = a.model;
    if (a.inputTokens !== null || a.outputTokens !== null) usage += ` ${a.inputTokens ?? 0}${tok}${a.outputTokens ?? 0} tok`;
    if (a.costUsd !== null) usage += ` ${formatCost(a.costUsd)}`;
    parts.push(usage);
  }
  return parts.join('; ');
}

/** The cases linked to this one by sub-workflow steps: `parent case <id>`, `child case <id> (workflow w v1) of step s attempt 1`. */
function familyLines(t: CaseTraceView): string[] {
  const lines = t.parentCaseId ? [`parent case ${t.parentCaseId}`] : [];
  for (const c of t.children ?? []) lines.push(`child case ${c.caseId} (workflow ${c.workflow} v${c.version}) of step ${c.stepId} attempt ${c.attempt}`);
  return lines;
}

/** A map step's items in one line: `1000/1000 items completed, 3 failed, 1010 attempts`. */
function itemsDetails(step: TraceStepView): string {
  const t = step.items;
  if (!t) return '';
  return `${t.completed}/${t.total ?? '?'} items completed${t.failed > 0 ? `, ${t.failed} failed` : ''}${t.timedOut > 0 ? `, ${t.timedOut} timed out` : ''}, ${t.attempts} attempts`;
}

function reviewLines(step: TraceStepView, arrow: string): string[] {
  return step.reviews.map((r) => {
    if (r.status === 'open') return `${arrow} review open in ${r.queue}, waiting ${formatDuration(r.waitMs)}`;
    if (r.status === 'withdrawn') return `${arrow} review withdrawn after ${formatDuration(r.waitMs)}`;
    const who = r.reviewer ? ` by ${r.reviewer}` : r.decidedBy === 'timeout' ? ' by timeout' : '';
    return `${arrow} review ${r.decision}${who} after ${formatDuration(r.waitMs)}${r.comment ? `: "${truncate(r.comment, 60)}"` : ''}`;
  });
}
