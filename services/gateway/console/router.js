// Hash routes: #/cases, #/cases/<id>, #/inbox, #/workflows, #/workflows/<name>; each with a query string.
import { useEffect, useState } from 'preact/hooks';

function parse() {
  const hash = location.hash.replace(/^#/, '') || '/cases';
  const [path, search = ''] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: Object.fromEntries(new URLSearchParams(search)) };
}

/** The current route; re-renders on every hash change. */
export function useRoute() {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** A hash link to a path and its query parameters (empty ones left out). */
export function href(path, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** Navigates to a path (replacing the query, so filters live in the URL and survive a reload). */
export function go(path, params = {}) {
  location.hash = href(path, params).slice(1);
}
