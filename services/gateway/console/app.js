// The Baton console: a Preact single-page app over the gateway's HTTP API (see README.md here).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, claims, setToken, token } from './api.js';
import { html, usePoll } from './ui.js';
import { SignInPage } from './pages/sign-in.js';
import { useRoute } from './router.js';
import { CasesPage } from './pages/cases.js';
import { CasePage } from './pages/case.js';
import { InboxPage } from './pages/inbox.js';
import { WorkflowsPage } from './pages/workflows.js';

function Nav({ section }) {
  const open = usePoll(() => api('GET', '/tasks?limit=500'), [], 3000);
  const count = open.data?.length ?? 0;
  const item = (id, label, extra) => html`<a href=${`#/${id}`} class=${section === id ? 'active' : ''}>${label}${extra}</a>`;
  return html`<header class="top">
    <a class="brand" href="#/cases">Baton</a>
    <nav>
      ${item('cases', 'Cases')}
      ${item('inbox', 'Task inbox', count > 0 ? html` <span class="count" data-open-tasks>${count}${count === 500 ? '+' : ''}</span>` : '')}
      ${item('workflows', 'Workflows')}
    </nav>
    <a class="docs" href="/docs" target="_blank" rel="noopener">API (OpenAPI)</a>
    <span class="who" data-signed-in>${claims(token()).sub ?? ''} <button class="link" data-sign-out onClick=${() => setToken(null)}>sign out</button></span>
  </header>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(token()));
  useEffect(() => {
    const changed = () => setSignedIn(Boolean(token()));
    window.addEventListener('baton-auth', changed);
    return () => window.removeEventListener('baton-auth', changed);
  }, []);
  return signedIn ? html`<${SignedIn} />` : html`<${SignInPage} />`;
}

function SignedIn() {
  const { parts, params } = useRoute();
  const [section, id] = parts;
  let page;
  if (section === 'cases' && id) page = html`<${CasePage} id=${id} />`;
  else if (section === 'inbox') page = html`<${InboxPage} params=${params} />`;
  else if (section === 'workflows') page = html`<${WorkflowsPage} name=${id} params=${params} />`;
  else page = html`<${CasesPage} params=${params} />`;
  return html`<${Nav} section=${section === 'cases' || !section ? 'cases' : section} /><main>${page}</main>`;
}

const mount = document.getElementById('app');
mount.textContent = '';
render(html`<${App} />`, mount);
