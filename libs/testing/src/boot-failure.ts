import { spawnSync } from 'node:child_process';

/**
 * Starts a service's entry (`services/<name>/src/main.ts`) with `env` over this process's
 * environment, expecting it to stop at boot: returns its exit code and the message of its `fatal`
 * log line (`undefined` when it wrote none). Waits at most `timeoutMs` (default 60 000 ms).
 */
export function bootFailure(entry: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): { code: number | null; fatal: string | undefined } {
  const child = spawnSync(process.execPath, ['-r', '@swc-node/register', entry], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs });
  const fatal = child.stderr.split('\n').map((l) => { try { return JSON.parse(l) as { level?: string; message?: string }; } catch { return undefined; } })
    .find((l) => l?.level === 'fatal');
  return { code: child.status, fatal: fatal?.message };
}
