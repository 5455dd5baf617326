import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseTraceView } from '../api-types';
import { traceFixture } from './fixtures';
import { renderWaterfall } from './waterfall';

describe('renderWaterfall', () => {
  it('draws one row per step attempt with status, offset, duration, a bar scaled to the case, and the error or model usage', () => {
    const text = renderWaterfall(traceFixture, { barWidth: 20 });
    assert.equal(text, [
      'case 7d0c5a2e-1111-5222-8333-444455556666 · inbox-triage v3 · completed · 2.00s · 4 steps, 4 attempts · 120 in / 8 out tokens · $0.0021',
      'step                          #  status      start  duration  │timeline            │  details',
      'parse (email.parse)           1  failed       +0ms     100ms  │█                   │  Flaky: upstream 503',
      '                              2  completed  +500ms     100ms  │     █              │',
      'classify (text.classify)      1  completed  +600ms     1.00s  │      ██████████    │  fast 120→8 tok $0.0021',
      '                              ↳ review approve by ada after 300ms: "fine"',
      'quarantine (mail.quarantine)  -  skipped    +1.90s         -  │                   ·│  when-false',
      'reply                         1  completed  +1.90s     100ms  │                   █│',
      '',
    ].join('\n'));
  });

  it('uses only ASCII when asked, colours only when asked, and shows why a case failed', () => {
    const failed: CaseTraceView = { ...traceFixture, status: 'failed', failure: { stepId: 'reply', error: { name: 'SmtpDown', message: 'no route', retryable: false } } };
    const ascii = renderWaterfall(failed, { barWidth: 20, style: { color: false, unicode: false } });
    assert.match(ascii, /^[\x20-\x7e\n]*$/, 'ASCII only');
    assert.ok(ascii.includes(`|${' '.repeat(5)}#${' '.repeat(14)}|`), ascii);
    assert.match(ascii, /-> review approve by ada/);
    assert.match(ascii, /failed at reply: SmtpDown: no route\n$/);
    assert.ok(!ascii.includes('\u001b['), 'no ANSI escapes');
    assert.ok(renderWaterfall(failed, { barWidth: 20, style: { color: true, unicode: true } }).includes('\u001b[31mfailed'), 'failed in red');
  });

  it('draws a case with no attempt yet, and never a bar wider than the timeline', () => {
    const empty = { ...traceFixture, durationMs: 0, totals: { attempts: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }, steps: [] };
    assert.equal(renderWaterfall(empty, { barWidth: 10 }).split('\n').length, 3);
    const long = { ...traceFixture, durationMs: 100 };
    for (const line of renderWaterfall(long, { barWidth: 10 }).split('\n').slice(2)) {
      const bar = /│(.*)│/.exec(line)?.[1];
      if (bar !== undefined) assert.equal(bar.length, 10, line);
    }
  });
});

describe('renderWaterfall of a case with a parent and children', () => {
  it('prints the parent and each child case', () => {
    const text = renderWaterfall({
      ...traceFixture, parentCaseId: 'p-1',
      children: [{ caseId: 'k-1', stepId: 'accounts', attempt: 1, workflow: 'open-accounts', version: 2 }],
    }, { barWidth: 20 });
    assert.match(text, /^parent case p-1$/m);
    assert.match(text, /^child case k-1 \(workflow open-accounts v2\) of step accounts attempt 1$/m);
  });
});
