import { existsSync } from 'node:fs';

/** Where Debian, Ubuntu and Chrome put the browser; `BATON_CHROMIUM` names another. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/**
 * The system Chromium the browser tests drive (playwright-core downloads no browser): `BATON_CHROMIUM`
 * when set, else the first of the usual paths that exists; `null` when none does.
 */
export function systemChromium(): string | null {
  const named = process.env.BATON_CHROMIUM;
  if (named) return existsSync(named) ? named : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}
