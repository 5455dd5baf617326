// A case: summary, operator actions (retry, cancel, each confirmed), the graph coloured by step
// status, the waterfall trace with every attempt, and the event history. Polls while the case is open.
import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { html, usePoll, Status, ErrorBox, Json, Confirm, Graph, time, duration, usd, ENDED } from '../ui.js';
import { href } from '../router.js';
import { Waterfall } from './waterfall.js';

function Actions({ summary, trace, reload }) {
  const [dialog, setDialog] = useState(null);
  const [step, setStep] = useState(summary.failure?.stepId ?? '');
  const [reason, setReason] = useState('');
  const operator = localStorage.getItem('baton.reviewer') || 'console';
  const steps = (trace?.steps ?? []).map((s) => s.stepId).filter((s) => !s.startsWith('compensate:'));
  const canRetry = summary.status === 'failed';
  const canCancel = !ENDED.includes(summary.status) && summary.status !== 'compensating';
  return html`<div class="actions-bar">
    <button class="secondary" disabled=${!canRetry} title=${canRetry ? 'Run the case again from a step' : 'Only a failed case can be retried'} onClick=${() => setDialog('retry')}>Retry a step...</button>
    <button class="danger" disabled=${!canCancel} title=${canCancel ? 'Cancel the case; completed steps are compensated' : 'The case has ended'} onClick=${() => setDialog('cancel')}>Cancel case...</button>
    ${dialog === 'retry' && html`<${Confirm} title="Retry the case from a step" confirmLabel="Retry" disabled=${!step}
        onConfirm=${async () => { await api('POST', `/cases/${summary.caseId}/retry`, { step, requestedBy: operator }); reload(); }} onClose=${() => setDialog(null)}>
      <p>The orchestrator runs <b>${step || 'the step'}</b> again, and every step after it.</p>
      <label>Step<select value=${step} onChange=${(e) => setStep(e.currentTarget.value)}><option value="">choose...</option>${steps.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
    <//>`}
    ${dialog === 'cancel' && html`<${Confirm} title="Cancel this case?" confirmLabel="Cancel the case" danger disabled=${!reason.trim()}
        onConfirm=${async () => { await api('POST', `/cases/${summary.caseId}/cancel`, { reason: reason.trim(), requestedBy: operator }); reload(); }} onClose=${() => setDialog(null)}>
      <p>In-flight attempts are abandoned and completed steps compensated. This cannot be undone.</p>
      <label>Reason (recorded in the case)<textarea rows="2" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} /></label>
    <//>`}
  </div>`;
}

function Summary({ summary, trace }) {
  const t = trace?.totals;
  return html`<dl class="facts">
    <div><dt>Status</dt><dd><${Status} value=${summary.status} /></dd></div>
    <div><dt>Workflow</dt><dd><a href=${href(`/workflows/${summary.workflow}`, { version: summary.workflowVersion })}>${summary.workflow} v${summary.workflowVersion}</a></dd></div>
    <div><dt>Key</dt><dd class="key">${summary.caseKey ?? '-'}</dd></div>
    <div><dt>Started</dt><dd>${time(summary.startedAt)}</dd></div>
    <div><dt>Duration</dt><dd>${duration(summary.durationMs ?? trace?.durationMs)}</dd></div>
    <div><dt>Attempts</dt><dd>${t?.attempts ?? '-'}</dd></div>
    <div><dt>Tokens in / out</dt><dd>${t ? `${t.inputTokens} / ${t.outputTokens}` : '-'}</dd></div>
    <div><dt>Cost</dt><dd>${usd(t?.costUsd)}</dd></div>
  </dl>
  ${summary.failure && html`<div class="error"><strong>Failed at ${summary.failure.stepId}:</strong> ${summary.failure.error.name}: ${summary.failure.error.message}</div>`}
  ${summary.cancellation && html`<div class="note">Cancelled${summary.cancellation.requestedBy ? ` by ${summary.cancellation.requestedBy}` : ''}: ${summary.cancellation.reason}</div>`}`;
}

function Events({ events }) {
  return html`<table class="list events" data-events>
    <thead><tr><th>#</th><th>Event</th><th>Recorded</th><th>Data</th></tr></thead>
    <tbody>${(events ?? []).map((e) => html`<tr>
      <td class="muted">${e.streamPosition}</td><td><code>${e.type}</code></td><td>${time(e.recordedAt)}</td><td><${Json} value=${e.data} label=${summarise(e)} /></td>
    </tr>`)}</tbody>
  </table>`;
}

function summarise(e) {
  const d = e.data ?? {};
  return [d.stepId, d.attempt && `attempt ${d.attempt}`, d.error?.name, d.decision, d.queue].filter(Boolean).join(' · ') || 'data';
}

export function CasePage({ id }) {
  const open = (d) => d && !ENDED.includes(d.summary.status);
  const detail = usePoll(() => api('GET', `/cases/${id}`), [id], 1500, open);
  const trace = usePoll(() => api('GET', `/cases/${id}/trace`), [id], 1500, (t) => t && !ENDED.includes(t.status));
  const events = usePoll(() => api('GET', `/cases/${id}/events`), [id], 1500, (ev) => !ev || !ev.some((e) => ['CaseCompleted', 'CaseFailed', 'CaseCancelled'].includes(e.type)));
  const s = detail.data?.summary;
  const graph = usePoll(() => (s ? api('GET', `/workflows/${encodeURIComponent(s.workflow)}/graph${query({ version: s.workflowVersion })}`) : Promise.resolve(null)), [s?.workflow, s?.workflowVersion], 0);
  const reload = () => { void detail.reload(); void trace.reload(); void events.reload(); };
  if (!s) {
    return html`<section><h1>Case <code>${id}</code></h1>${detail.error?.status === 404 ? html`<p class="muted">Not recorded yet (a case just started appears within moments) or unknown.</p>` : html`<${ErrorBox} error=${detail.error} />`}${!detail.error && html`<p class="muted">Loading...</p>`}</section>`;
  }
  const statuses = Object.fromEntries(Object.entries(s.steps).map(([k, v]) => [k, v.status]));
  return html`<section data-case-page=${s.status}>
    <div class="title-row"><h1>Case <code>${id}</code></h1><${Actions} summary=${s} trace=${trace.data} reload=${reload} /></div>
    <${Summary} summary=${s} trace=${trace.data} />
    <div class="two">
      <div class="panel"><h2>Graph</h2><${Graph} graph=${graph.data} statuses=${statuses} /></div>
      <div class="panel"><h2>Output</h2><${Json} value=${s.output} open label="case output" />
        ${(s.stepsInFlight.length > 0) && html`<p>In flight: ${s.stepsInFlight.map((x) => html`<${Status} value=${statuses[x]} /> ${x} `)}</p>`}
      </div>
    </div>
    <div class="panel"><h2>Trace</h2><${ErrorBox} error=${trace.error} />${trace.data && html`<${Waterfall} trace=${trace.data} />`}</div>
    <div class="panel"><h2>Event history</h2><${ErrorBox} error=${events.error} /><${Events} events=${events.data} /></div>
  </section>`;
}
