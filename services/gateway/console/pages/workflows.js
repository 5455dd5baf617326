// Workflows: every registered definition and its versions; one version's graph and definition.
import { api, query } from '../api.js';
import { html, usePoll, ErrorBox, Json, Graph, time } from '../ui.js';
import { href } from '../router.js';

function Definition({ name, version }) {
  const wf = usePoll(() => api('GET', `/workflows/${encodeURIComponent(name)}${query({ version })}`), [name, version], 0);
  const graph = usePoll(() => api('GET', `/workflows/${encodeURIComponent(name)}/graph${query({ version })}`), [name, version], 0);
  const w = wf.data;
  return html`<div class="panel" data-workflow=${name}>
    <${ErrorBox} error=${wf.error ?? graph.error} />
    ${w && html`<div class="title-row"><h2>${w.name} <span class="muted">v${w.version}</span></h2>
      <a href=${href('/cases', { workflow: w.name })}>its cases</a></div>
      <dl class="facts"><div><dt>Registered</dt><dd>${time(w.registeredAt)}</dd></div><div><dt>Checksum</dt><dd><code>${w.checksum.slice(0, 16)}</code></dd></div>
        <div><dt>Steps</dt><dd>${Object.keys(w.definition.steps ?? {}).length}</dd></div>${w.definition.sla && html`<div><dt>SLA</dt><dd>${w.definition.sla}</dd></div>`}</dl>`}
    <${Graph} graph=${graph.data} />
    ${w && html`<${Json} value=${w.definition} label="definition as registered" />`}
  </div>`;
}

export function WorkflowsPage({ name, params }) {
  const list = usePoll(() => api('GET', '/workflows'), [], 0);
  const byName = new Map();
  for (const v of list.data ?? []) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  const chosen = name ?? [...byName.keys()][0];
  const versions = byName.get(chosen) ?? [];
  const version = params.version ? Number(params.version) : versions[0]?.version;
  return html`<section>
    <h1>Workflows</h1>
    <${ErrorBox} error=${list.error} />
    <div class="inbox">
      <ul class="task-list" data-workflows>
        ${[...byName.entries()].map(([n, vs]) => html`<li class=${n === chosen ? 'active' : ''}><div class="item"><a href=${href(`/workflows/${n}`)}><b>${n}</b></a>
          <div class="small">${vs.map((v) => html`<a class=${`chip ${n === chosen && v.version === version ? 'active' : ''}`} href=${href(`/workflows/${n}`, { version: v.version })}>v${v.version}</a>`)}</div></div></li>`)}
        ${list.data && byName.size === 0 && html`<li class="muted pad">No workflow is registered (PUT /workflows, or baton workflow register).</li>`}
      </ul>
      ${chosen && version ? html`<${Definition} name=${chosen} version=${version} />` : html`<div class="panel muted">Choose a workflow.</div>`}
    </div>
  </section>`;
}
