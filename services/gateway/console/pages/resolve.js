// A step that ran out of attempts with onExhausted: waitForOperator (a task of queue "operators"):
// retry it (a new attempt) or skip it with an output its step type's output record accepts,
// through POST /cases/{id}/steps/{stepId}/resolve, each confirmed.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Confirm } from '../ui.js';

/** The queue the orchestrator puts these tasks in (OPERATOR_QUEUE in @baton/workflow-engine). */
export const OPERATOR_QUEUE = 'operators';

export function Resolve({ task, onDone }) {
  const [action, setAction] = useState(null);
  const [text, setText] = useState('{}');
  const [error, setError] = useState(null);
  const send = async () => {
    setError(null);
    try {
      const principal = localStorage.getItem('baton.reviewer') || undefined;
      await api('POST', `/cases/${encodeURIComponent(task.caseId)}/steps/${encodeURIComponent(task.stepId)}/resolve`, {
        action, ...(action === 'skip' && { output: JSON.parse(text) }), ...(principal && { principal }),
      });
      onDone();
    } catch (e) {
      setError(e.problem?.errors?.map((x) => `${x.field}: ${x.message}`).join('; ') ?? e.message);
    }
  };
  return html`<div class="decide" data-resolve>
    <div class="buttons">
      <button class="primary" data-resolve-action="retry" onClick=${() => setAction('retry')}>Retry the step</button>
      <button class="secondary" data-resolve-action="skip" onClick=${() => setAction(action === 'skip' ? null : 'skip')}>Skip it with an output...</button>
    </div>
    ${action === 'skip' && html`<label><span>Output: JSON that must match the step type's output record</span>
      <textarea rows="6" spellcheck="false" data-skip-output value=${text} onInput=${(e) => setText(e.currentTarget.value)} /></label>
      <button class="primary" data-send-skip onClick=${send}>Skip with this output</button>`}
    ${error && html`<div class="error" data-resolve-error>${error}</div>`}
    ${action === 'retry' && html`<${Confirm} title="Retry this step?" confirmLabel="Retry" onConfirm=${send} onClose=${() => setAction(null)}>
      <p>A new attempt runs with a fresh retry budget.</p><p class="muted">Case <code>${task.caseId}</code> · step ${task.stepId}</p>
    <//>`}
  </div>`;
}
