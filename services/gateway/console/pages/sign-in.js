// Sign-in: paste a bearer token from your OIDC issuer, or, on the local stack, ask the
// development issuer for one (POST /dev-issuer/token). The token stays in this tab (sessionStorage).
import { useEffect, useState } from 'preact/hooks';
import { setToken } from '../api.js';
import { html } from '../ui.js';

const ALL_ROLES = ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'];

export function SignInPage() {
  const [dev, setDev] = useState(false);
  const [subject, setSubject] = useState(localStorage.getItem('baton.reviewer') || 'console-user');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    fetch('/dev-issuer/jwks.json').then((r) => setDev(r.ok)).catch(() => setDev(false));
  }, []);
  const devSignIn = async () => {
    setError('');
    const res = await fetch('/dev-issuer/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: subject.trim() || 'console-user', roles: ALL_ROLES }) });
    const body = await res.json();
    if (!res.ok) return setError(body.detail ?? `HTTP ${res.status}`);
    setToken(body.access_token);
  };
  return html`<main><section class="panel sign-in" data-sign-in>
    <h1>Sign in to Baton</h1>
    <p class="muted">Every call of the console carries a bearer token; the gateway checks its roles (docs/SECURITY.md).</p>
    ${dev && html`<div class="row">
      <label>Name<input value=${subject} onInput=${(e) => setSubject(e.currentTarget.value)} /></label>
      <button data-dev-sign-in onClick=${devSignIn}>Sign in with the development issuer</button>
      <span class="muted">local stack only: every role</span>
    </div>`}
    <div class="row">
      <label>Token<textarea rows="3" placeholder="eyJ..." value=${pasted} onInput=${(e) => setPasted(e.currentTarget.value)}></textarea></label>
      <button data-paste-token disabled=${!pasted.trim()} onClick=${() => setToken(pasted.trim())}>Use this token</button>
    </div>
    ${error && html`<p class="error">${error}</p>`}
  </section></main>`;
}
