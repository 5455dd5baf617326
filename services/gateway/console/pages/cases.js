// Cases: the list with filters (workflow, status, key prefix, start time range) and keyset paging.
import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { html, usePoll, Status, ErrorBox, time, duration } from '../ui.js';
import { go, href } from '../router.js';

const STATUSES = ['new', 'running', 'awaiting-review', 'compensating', 'completed', 'failed', 'cancelled'];

/** `datetime-local` value (local time) to ISO, and back. */
const toIso = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

export function CasesPage({ params }) {
  const filters = { workflow: params.workflow ?? '', status: params.status ?? '', key: params.key ?? '', from: params.from ?? '', to: params.to ?? '' };
  const cursors = (params.pages ?? '').split(',').filter(Boolean);
  const cursor = cursors.at(-1);
  const [live, setLive] = useState(true);
  const workflows = usePoll(() => api('GET', '/workflows'), [], 0);
  const page = usePoll(() => api('GET', `/cases${query({ ...filters, limit: 25, cursor })}`), [JSON.stringify(params)], live ? 2000 : 0);
  const names = [...new Set((workflows.data ?? []).map((w) => w.name))];
  const set = (change) => go('/cases', { ...filters, ...change });
  const submit = (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    set({ workflow: f.get('workflow'), status: f.get('status'), key: f.get('key').trim(), from: toIso(f.get('from')), to: toIso(f.get('to')) });
  };
  const items = page.data?.items ?? [];
  return html`<section>
    <div class="title-row">
      <h1>Cases</h1>
      <label class="live"><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.currentTarget.checked)} /> live (every 2 s)</label>
    </div>
    <form class="filters" onSubmit=${submit} key=${JSON.stringify(filters)}>
      <label>Workflow<select name="workflow" value=${filters.workflow}><option value="">any</option>${names.map((n) => html`<option value=${n}>${n}</option>`)}</select></label>
      <label>Status<select name="status" value=${filters.status}><option value="">any</option>${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label class="grow">Key starts with<input name="key" type="search" placeholder="e.g. 3f2a:msg-00123" value=${filters.key} /></label>
      <label>Started from<input name="from" type="datetime-local" value=${toLocal(filters.from)} /></label>
      <label>Started before<input name="to" type="datetime-local" value=${toLocal(filters.to)} /></label>
      <div class="buttons"><button class="primary" type="submit">Search</button><button type="button" class="secondary" onClick=${() => go('/cases')}>Clear</button></div>
    </form>
    <${ErrorBox} error=${page.error} />
    <table class="list" data-cases>
      <thead><tr><th>Key</th><th>Case</th><th>Workflow</th><th>Status</th><th>Started</th><th>Duration</th><th>In flight</th></tr></thead>
      <tbody>
        ${items.map((c) => html`<tr class="clickable" onClick=${() => go(`/cases/${c.caseId}`)} data-case=${c.caseId}>
          <td class="key">${c.caseKey ?? html`<span class="muted">none</span>`}</td>
          <td><a href=${href(`/cases/${c.caseId}`)}><code>${c.caseId.slice(0, 8)}</code></a></td>
          <td>${c.workflow} <span class="muted">v${c.workflowVersion}</span></td>
          <td><${Status} value=${c.status} />${c.slaBreached ? html` <span class="badge s-failed" title="SLA breached">SLA</span>` : ''}</td>
          <td>${time(c.startedAt)}</td>
          <td>${duration(c.durationMs)}</td>
          <td class="muted">${c.stepsInFlight.join(', ')}</td>
        </tr>`)}
        ${page.data && items.length === 0 && html`<tr><td colspan="7" class="muted pad">No case matches these filters.</td></tr>`}
      </tbody>
    </table>
    <div class="pager">
      <button class="secondary" disabled=${cursors.length === 0} onClick=${() => go('/cases', { ...filters, pages: cursors.slice(0, -1).join(',') })}>Previous</button>
      <span class="muted">page ${cursors.length + 1}</span>
      <button class="secondary" disabled=${!page.data?.nextCursor} onClick=${() => go('/cases', { ...filters, pages: [...cursors, page.data.nextCursor].join(',') })}>Next</button>
    </div>
  </section>`;
}
