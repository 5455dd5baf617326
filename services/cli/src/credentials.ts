import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where `baton login` keeps the token: `$BATON_HOME/cli-token`, else `~/.baton/cli-token`. */
export function tokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.BATON_HOME ?? join(homedir(), '.baton'), 'cli-token');
}

/**
 * The credential headers every request carries: `BATON_TOKEN` (a bearer JWT), else
 * `BATON_API_KEY` (`X-API-Key`), else the token `baton login` saved; none when there is none.
 */
export function credentialHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.BATON_TOKEN) return { authorization: `Bearer ${env.BATON_TOKEN.trim()}` };
  if (env.BATON_API_KEY) return { 'x-api-key': env.BATON_API_KEY.trim() };
  try {
    const saved = readFileSync(tokenFile(env), 'utf8').trim();
    return saved ? { authorization: `Bearer ${saved}` } : {};
  } catch {
    return {};
  }
}

/** Saves a token for later commands (mode 0600). @returns the file written */
export function saveToken(token: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = tokenFile(env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
