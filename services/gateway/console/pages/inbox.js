// The task inbox: open review tasks by queue; one task with its full context (the reason, the case
// input, prior steps' outputs, the output under review); approve, reject or edit, each confirmed.
// An edit is checked against the step type's output record (POST /tasks/{id}/output/check) as it
// is typed, and can be sent only once it passes.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, usePoll, Status, ErrorBox, Json, Confirm, time } from '../ui.js';
import { href } from '../router.js';
import { OPERATOR_QUEUE, Resolve } from './resolve.js';

function Queues({ tasks, queue }) {
  const counts = {};
  for (const t of tasks) counts[t.queue] = (counts[t.queue] ?? 0) + 1;
  const tab = (q, label, n) => html`<a class=${`tab ${(queue ?? '') === q ? 'active' : ''}`} href=${href('/inbox', { queue: q })}>${label} <span class="count">${n}</span></a>`;
  return html`<div class="tabs" data-queues>${tab('', 'all queues', tasks.length)}${Object.entries(counts).sort().map(([q, n]) => tab(q, q, n))}</div>`;
}

function Editor({ task, text, setText, check }) {
  const schema = usePoll(() => api('GET', `/tasks/${encodeURIComponent(task.taskId)}/output-schema`), [task.taskId], 0);
  const fields = schema.data?.schema?.fields ?? [];
  return html`<div class="editor">
    <label><span>Edited output: JSON that must match <code>${check?.record ?? schema.data?.record ?? 'the output record'}</code></span>
      <textarea rows="8" spellcheck="false" data-edit-output value=${text} onInput=${(e) => setText(e.currentTarget.value)} /></label>
    ${check?.parseError && html`<div class="error">Not JSON: ${check.parseError}</div>`}
    ${check?.valid === true && html`<div class="ok" data-check-ok>Matches ${check.record}.</div>`}
    ${check?.valid === false && html`<div class="error" data-check-errors>Does not match ${check.record}:<ul>${check.errors.map((e) => html`<li><code>${e.field}</code>: ${e.message}</li>`)}</ul></div>`}
    ${fields.length > 0 && html`<details><summary>fields of ${schema.data.record}</summary><ul class="fields">${fields.map((f) => html`<li><code>${f.name}</code>: <span class="muted">${JSON.stringify(f.type)}</span>${f.doc ? ` — ${f.doc}` : ''}</li>`)}</ul></details>`}
  </div>`;
}

function Decide({ task, onDone }) {
  const [mode, setMode] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [reviewer, setReviewer] = useState(localStorage.getItem('baton.reviewer') ?? '');
  const [comment, setComment] = useState('');
  const [text, setText] = useState(JSON.stringify(task.output, null, 2));
  const [check, setCheck] = useState(null);
  useEffect(() => {
    if (mode !== 'edit') return undefined;
    let output;
    try { output = JSON.parse(text); } catch (e) { setCheck({ parseError: e.message }); return undefined; }
    const timer = setTimeout(() => api('POST', `/tasks/${encodeURIComponent(task.taskId)}/output/check`, { output }).then(setCheck, (e) => setCheck({ valid: false, record: '', errors: e.problem?.errors ?? [{ field: 'output', message: e.message }] })), 250);
    return () => clearTimeout(timer);
  }, [mode, text, task.taskId]);
  const send = async () => {
    localStorage.setItem('baton.reviewer', reviewer.trim());
    await api('POST', `/tasks/${encodeURIComponent(task.taskId)}/decision`, {
      decision: mode, ...(mode === 'edit' && { output: JSON.parse(text) }), ...(comment.trim() && { comment: comment.trim() }), ...(reviewer.trim() && { reviewer: reviewer.trim() }),
    });
    onDone();
  };
  const choose = (m) => { setMode(m); if (m !== 'edit') setConfirming(true); };
  const words = { approve: 'Approve: the output stands and the case goes on.', reject: 'Reject: the step fails (not retryable) and the case fails or falls back.', edit: 'Send the edited output: it replaces the step output and the case goes on.' };
  return html`<div class="decide">
    <div class="row">
      <label>Reviewer<input value=${reviewer} placeholder="your name" onInput=${(e) => setReviewer(e.currentTarget.value)} /></label>
      <label class="grow">Comment<input value=${comment} placeholder="optional, kept in the case" onInput=${(e) => setComment(e.currentTarget.value)} /></label>
    </div>
    <div class="buttons">
      <button class="primary" data-decide="approve" onClick=${() => choose('approve')}>Approve</button>
      <button class="danger" data-decide="reject" onClick=${() => choose('reject')}>Reject</button>
      <button class="secondary" data-decide="edit" onClick=${() => setMode(mode === 'edit' ? null : 'edit')}>${mode === 'edit' ? 'Close the editor' : 'Edit the output...'}</button>
    </div>
    ${mode === 'edit' && html`<${Editor} task=${task} text=${text} setText=${setText} check=${check} />
      <button class="primary" data-send-edit disabled=${check?.valid !== true} onClick=${() => setConfirming(true)}>Send the edited output</button>`}
    ${confirming && html`<${Confirm} title=${`${mode} this task?`} confirmLabel=${mode === 'edit' ? 'Send the edit' : mode === 'approve' ? 'Approve' : 'Reject'} danger=${mode === 'reject'}
        onConfirm=${send} onClose=${() => { setConfirming(false); if (mode !== 'edit') setMode(null); }}>
      <p>${words[mode]}</p><p class="muted">Task <code>${task.taskId}</code>${reviewer.trim() ? ` · reviewer ${reviewer.trim()}` : ''}</p>
    <//>`}
  </div>`;
}

function TaskView({ id, onDecided }) {
  const task = usePoll(() => api('GET', `/tasks/${encodeURIComponent(id)}`), [id], 3000, (t) => t?.status === 'open');
  const t = task.data;
  if (!t) return html`<div class="panel"><${ErrorBox} error=${task.error} />${!task.error && html`<p class="muted">Loading...</p>`}</div>`;
  const ctx = t.context ?? {};
  const prior = Object.entries(ctx.steps ?? {}).filter(([sid]) => sid !== t.stepId);
  return html`<div class="panel task" data-task=${t.taskId}>
    <div class="title-row"><h2>${t.stepId} <span class="muted">${t.stepType}</span></h2><${Status} value=${t.status} /></div>
    <dl class="facts">
      <div><dt>Queue</dt><dd>${t.queue}${t.escalated ? ' (escalated)' : ''}</dd></div>
      <div><dt>Case</dt><dd><a href=${href(`/cases/${t.caseId}`)}><code>${t.caseId.slice(0, 8)}</code></a> ${ctx.case?.workflow ?? ''}</dd></div>
      <div><dt>Requested</dt><dd>${time(t.requestedAt)}</dd></div>
      <div><dt>Due</dt><dd>${time(t.dueAt)}</dd></div>
    </dl>
    <div class="reason"><b>Why a person is asked:</b> ${t.reason}</div>
    <h3>Output under review</h3><pre class="output" data-review-output>${JSON.stringify(t.output, null, 2)}</pre>
    <h3>Case input</h3><${Json} value=${ctx.case?.input} open label="case input" />
    <h3>Prior steps</h3>
    ${prior.length === 0 ? html`<p class="muted">none</p>` : html`<table class="list"><tbody>${prior.map(([sid, s]) => html`<tr><td><b>${sid}</b></td><td><${Status} value=${s.status ?? 'completed'} /></td><td><${Json} value=${s.output} open label="output" /></td></tr>`)}</tbody></table>`}
    ${t.status === 'open'
      ? (t.queue === OPERATOR_QUEUE
        ? html`<${Resolve} task=${t} onDone=${() => { void task.reload(); onDecided(); }} />`
        : html`<${Decide} task=${t} onDone=${() => { void task.reload(); onDecided(); }} />`)
      : html`<div class="note" data-decided>${t.status === 'decided' ? `Decided: ${t.decision} by ${t.reviewer ?? t.decidedBy} at ${time(t.decidedAt)}` : 'Withdrawn: the case moved on without a decision.'}${t.comment ? ` · ${t.comment}` : ''}</div>`}
  </div>`;
}

export function InboxPage({ params }) {
  const all = usePoll(() => api('GET', '/tasks?limit=500'), [], 3000);
  const tasks = all.data ?? [];
  const shown = params.queue ? tasks.filter((t) => t.queue === params.queue) : tasks;
  const selected = params.task;
  return html`<section>
    <h1>Task inbox</h1>
    <${ErrorBox} error=${all.error} />
    <${Queues} tasks=${tasks} queue=${params.queue} />
    <div class="inbox">
      <ul class="task-list" data-task-list>
        ${shown.map((t) => html`<li class=${t.taskId === selected ? 'active' : ''}><a href=${href('/inbox', { queue: params.queue, task: t.taskId })} data-task-link=${t.taskId}>
          <b>${t.stepId}</b> <span class="muted">${t.queue}</span>${t.escalated ? html` <span class="badge s-failed">escalated</span>` : ''}
          <div class="muted small">${t.reason}</div><div class="muted small">${time(t.requestedAt)} · case ${t.caseId.slice(0, 8)}</div></a></li>`)}
        ${all.data && shown.length === 0 && html`<li class="muted pad">No open task${params.queue ? ` in ${params.queue}` : ''}.</li>`}
      </ul>
      ${selected ? html`<${TaskView} id=${selected} onDecided=${() => all.reload()} />` : html`<div class="panel muted">Choose a task to see its context and decide it.</div>`}
    </div>
  </section>`;
}

