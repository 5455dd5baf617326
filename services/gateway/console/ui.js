// Shared pieces of the console's pages: htm bound to Preact, status badges, JSON, times, polling,
// the confirmation dialog and the Mermaid graph.
import { h } from 'preact';
import { useEffect, useRef, useState, useCallback } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/** Case and step statuses that are over: nothing moves them any more. */
export const ENDED = ['completed', 'failed', 'cancelled'];

export function Status({ value }) {
  return html`<span class="badge s-${value}">${value}</span>`;
}

/** `2026-12-02 11:27:50` in the browser's time zone; `-` for null. */
export function time(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A duration in ms as `850 ms`, `12.3 s` or `4 min 05 s`; `-` for null. */
export function duration(ms) {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function usd(n) {
  return n === null || n === undefined ? '-' : `$${n.toFixed(n < 0.01 ? 5 : 3)}`;
}

export function Json({ value, open = false, label = 'JSON' }) {
  if (value === null || value === undefined) return html`<span class="muted">none</span>`;
  return html`<details class="json" open=${open}><summary>${label}</summary><pre>${JSON.stringify(value, null, 2)}</pre></details>`;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  const errors = error.problem?.errors ?? [];
  return html`<div class="error" role="alert"><strong>${error.problem?.title ?? 'Request failed'}</strong> ${error.message}
    ${errors.length > 0 && html`<ul>${errors.map((e) => html`<li><code>${e.field}</code>: ${e.message}</li>`)}</ul>`}</div>`;
}

/**
 * Loads `load()` now and every `everyMs` while `live` says so (the page watches cases move);
 * returns `{ data, error, reload }`.
 */
export function usePoll(load, deps, everyMs = 2000, live = () => true) {
  const [state, setState] = useState({ data: null, error: null });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const n = ++latest.current;
    try {
      const data = await load();
      if (n === latest.current) setState({ data, error: null });
      return data;
    } catch (error) {
      if (n === latest.current) setState((s) => ({ data: s.data, error }));
      return null;
    }
  }, deps);
  useEffect(() => {
    setState({ data: null, error: null });
    let stopped = false;
    let timer;
    const tick = async () => {
      const data = await reload();
      if (!stopped && everyMs > 0 && live(data)) timer = setTimeout(tick, everyMs);
    };
    void tick();
    return () => { stopped = true; clearTimeout(timer); };
  }, [reload]);
  return { ...state, reload };
}

/**
 * A modal asking to confirm an action. `children` may hold inputs; `onConfirm` may throw an
 * ApiError, shown in the dialog.
 */
export function Confirm({ title, children, confirmLabel = 'Confirm', danger = false, disabled = false, onConfirm, onClose }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="overlay" onClick=${(e) => e.target === e.currentTarget && onClose()}>
    <div class="dialog" role="dialog" aria-modal="true" aria-label=${title}>
      <h3>${title}</h3>
      ${children}
      <${ErrorBox} error=${error} />
      <div class="actions">
        <button class="secondary" onClick=${onClose}>Back</button>
        <button class=${danger ? 'danger' : 'primary'} data-confirm disabled=${busy || disabled} onClick=${run}>${busy ? 'Sending...' : confirmLabel}</button>
      </div>
    </div>
  </div>`;
}

const STEP_COLOURS = {
  completed: ['#d7f5dd', '#1e7b34'], running: ['#dbe9ff', '#1f5fbf'], 'retry-wait': ['#fff1c9', '#9a6b00'],
  'awaiting-review': ['#ffe4c2', '#b35c00'], failed: ['#ffd9d9', '#b3261e'], 'fallen-back': ['#efe1ff', '#6b3fa0'],
  skipped: ['#eeeeee', '#888888'], cancelled: ['#e6e6e6', '#555555'], pending: ['#ffffff', '#9aa0a6'],
};

let graphs = 0;

/**
 * The workflow's Mermaid flowchart (`GET /workflows/{name}/graph`, JSON), each step node coloured by
 * `statuses` (`{stepId: status}`; none: every node plain).
 */
export function Graph({ graph, statuses }) {
  const ref = useRef(null);
  const [failed, setFailed] = useState(null);
  const text = graph ? styled(graph, statuses) : '';
  useEffect(() => {
    if (!text || !ref.current || !window.mermaid) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: true, curve: 'basis' } });
    let current = true;
    window.mermaid.render(`graph-${++graphs}`, text).then(({ svg }) => { if (current && ref.current) { ref.current.innerHTML = svg; setFailed(null); } }, (e) => setFailed(String(e?.message ?? e)));
    return () => { current = false; };
  }, [text]);
  if (!graph) return html`<p class="muted">Loading the graph...</p>`;
  return html`<div>
    <div class="graph" ref=${ref} data-graph></div>
    ${failed && html`<div class="error">The graph could not be drawn: ${failed}<pre>${text}</pre></div>`}
    ${statuses && html`<div class="legend">${Object.keys(STEP_COLOURS).map((s) => html`<span class="badge s-${s}">${s}</span>`)}</div>`}
  </div>`;
}

function styled(graph, statuses) {
  if (!statuses) return graph.mermaid;
  const lines = [graph.mermaid.trimEnd()];
  for (const [status, [fill, stroke]] of Object.entries(STEP_COLOURS)) lines.push(`  classDef st_${status.replace(/-/g, '_')} fill:${fill},stroke:${stroke},stroke-width:2px,color:#222`);
  for (const [stepId, node] of Object.entries(graph.nodes ?? {})) {
    const status = statuses[stepId] ?? 'pending';
    if (STEP_COLOURS[status]) lines.push(`  class ${node} st_${status.replace(/-/g, '_')}`);
  }
  return `${lines.join('\n')}\n`;
}
