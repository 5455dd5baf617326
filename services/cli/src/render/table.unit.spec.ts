import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CasePageView, TaskView } from '../api-types';
import { caseSummary, task } from './fixtures';
import { formatCost, formatDuration } from './format';
import { renderTable } from './table';
import { renderCasePage, renderTasks } from './views';

describe('renderTable', () => {
  it('pads columns to the widest cell, aligns right when asked, and cuts long cells with an ellipsis', () => {
    const text = renderTable([
      { header: 'NAME', value: (r: { name: string; n: number }) => r.name, maxWidth: 8 },
      { header: 'N', value: (r) => String(r.n), align: 'right' },
      { header: 'LAST', value: () => 'x' },
    ], [{ name: 'short', n: 5 }, { name: 'a-very-long-name', n: 123 }]);
    assert.equal(text, ['NAME        N  LAST', 'short       5  x', 'a-very-…  123  x', ''].join('\n'));
  });

  it('renders a page of cases with the cursor of the next page, and an empty page', () => {
    const page: CasePageView = {
      nextCursor: 'abc',
      items: [caseSummary({
        caseId: 'c-1', workflow: 'wf', workflowVersion: 2, status: 'completed', caseKey: 'k', startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:00:01.500Z',
        durationMs: 1500, stepsInFlight: [], steps: {}, failure: null, cancellation: null, slaBreached: false,
      })],
    };
    assert.equal(renderCasePage(page), [
      'CASE  WORKFLOW  STATUS     STARTED              DURATION  KEY',
      'c-1   wf v2     completed  2026-01-01 10:00:00     1.50s  k',
      'next page: --cursor abc', '',
    ].join('\n'));
    assert.equal(renderCasePage({ items: [], nextCursor: null }), 'no cases\n');
  });

  it('renders review tasks', () => {
    const tasks: TaskView[] = [task({ taskId: 'c-1:review:classify:1', caseId: 'c-1', stepId: 'classify', stepType: 'text.classify', queue: 'triage', status: 'open', escalated: true, reason: 'low confidence', requestedAt: '2026-01-01T10:00:00.000Z', dueAt: null })];
    assert.match(renderTasks(tasks), /^TASK\s+QUEUE\s+STATUS\s+STEP\s+REQUESTED\s+REASON\nc-1:review:classify:1\s+triage \(escalated\)\s+open\s+classify \(text.classify\)\s+2026-01-01 10:00:00\s+low confidence\n$/);
  });

  it('formats durations and costs for people', () => {
    assert.deepEqual([0, 999, 1240, 12_345, 123_000, 3_720_000].map(formatDuration), ['0ms', '999ms', '1.24s', '12.3s', '2m03s', '1h02m']);
    assert.deepEqual([0.0021, 0.5, 12.345].map(formatCost), ['$0.0021', '$0.5', '$12.35']);
  });
});
