// The waterfall of a case trace (GET /cases/{id}/trace): one row per step, a bar per attempt
// and per review wait on the case's time axis; a row opens to the attempts' details.
import { useState } from 'preact/hooks';
import { html, Status, Json, duration, usd } from '../ui.js';
import { href } from '../router.js';

function span(trace) {
  let end = trace.durationMs ?? 0;
  for (const s of trace.steps) {
    for (const a of s.attempts) end = Math.max(end, a.startOffsetMs + a.durationMs);
    for (const r of s.reviews) end = Math.max(end, r.requestOffsetMs + r.waitMs);
  }
  return Math.max(end, 1);
}

const pct = (ms, total) => `${Math.min(100, (ms / total) * 100).toFixed(2)}%`;

function Attempt({ a }) {
  return html`<div class="attempt">
    <div class="attempt-head"><b>attempt ${a.attempt}</b> <${Status} value=${a.status} /> <span>${duration(a.durationMs)}</span>
      ${a.model && html`<span class="muted">model ${a.model}${a.modelVersion ? `@${a.modelVersion}` : ''}</span>`}
      ${a.inputTokens !== null && html`<span class="muted">tokens ${a.inputTokens} in / ${a.outputTokens ?? 0} out</span>`}
      ${a.costUsd !== null && html`<span class="muted">cost ${usd(a.costUsd)}</span>`}</div>
    ${a.error && html`<div class="error"><b>${a.error.name}</b>: ${a.error.message} ${a.error.retryable ? '(retryable)' : '(not retryable)'}</div>`}
    <div class="io"><div><h4>Input</h4><${Json} value=${a.input} label="input" /></div><div><h4>Output</h4><${Json} value=${a.output} label="output" /></div></div>
  </div>`;
}

function Review({ r }) {
  return html`<div class="attempt review">
    <div class="attempt-head"><b>review</b> in <code>${r.queue}</code> <${Status} value=${r.status} /> ${r.escalated ? html`<span class="badge s-failed">escalated</span>` : ''}
      <span>waited ${duration(r.waitMs)}</span>${r.decision && html`<span>${r.decision} by ${r.reviewer ?? r.decidedBy}</span>`}
      ${r.status === 'open' && html`<a href=${href('/inbox', { task: r.taskId })}>decide in the inbox</a>`}</div>
    <p class="muted">${r.reason}${r.comment ? ` · comment: ${r.comment}` : ''}</p>
    ${r.editedOutput !== null && r.editedOutput !== undefined && html`<${Json} value=${r.editedOutput} label="edited output" />`}
  </div>`;
}

export function Waterfall({ trace }) {
  const [openStep, setOpen] = useState(null);
  const total = span(trace);
  return html`<div class="waterfall" data-trace>
    <div class="wf-axis"><span>0</span><span>${duration(total / 2)}</span><span>${duration(total)}</span></div>
    ${trace.steps.map((s) => html`<div class="wf-step">
      <button class="wf-row" aria-expanded=${openStep === s.stepId} onClick=${() => setOpen(openStep === s.stepId ? null : s.stepId)}>
        <span class="wf-label"><span class="caret">${openStep === s.stepId ? '▾' : '▸'}</span> ${s.stepId} <span class="muted">${s.stepType ?? ''}</span></span>
        <span class="wf-status"><${Status} value=${s.status} /></span>
        <span class="wf-track">
          ${s.attempts.map((a) => html`<span class="bar s-${a.status}" style=${`left:${pct(a.startOffsetMs, total)};width:max(3px,${pct(a.durationMs, total)})`} title=${`attempt ${a.attempt}: ${a.status}, ${duration(a.durationMs)}`}></span>`)}
          ${s.reviews.map((r) => html`<span class="bar review" style=${`left:${pct(r.requestOffsetMs, total)};width:max(3px,${pct(r.waitMs, total)})`} title=${`review: ${r.status}, ${duration(r.waitMs)}`}></span>`)}
          ${s.skipReason && html`<span class="muted skip" style=${`left:${pct(s.startOffsetMs ?? 0, total)}`}>skipped (${s.skipReason})</span>`}
        </span>
        <span class="wf-dur">${duration(s.attempts.reduce((n, a) => n + a.durationMs, 0) || null)}</span>
      </button>
      ${openStep === s.stepId && html`<div class="wf-detail">${s.attempts.map((a) => html`<${Attempt} a=${a} />`)}${s.reviews.map((r) => html`<${Review} r=${r} />`)}
        ${s.attempts.length === 0 && s.reviews.length === 0 && html`<p class="muted">No attempt.</p>`}</div>`}
    </div>`)}
    <div class="legend"><span class="bar-key completed"></span> attempt <span class="bar-key review"></span> waiting for review</div>
  </div>`;
}
