import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** One of Baton's services started by the main job: detached, logging to a file, its pid in `.baton/run`. */
export interface RunningService { name: string; pid: number; log: string }

const runDir = () => join(process.env.BATON_HOME ?? join(root, '.baton'), 'run');

/**
 * Starts a service of this repository detached from the main job (so `--keep` can leave it
 * running), its stdout and stderr appended to `.baton/run/<name>.log` (one file across restarts, each start
 * marked by a `starting` line), and waits for its JSON `ready` line.
 * @throws Error with the log's tail when the process exits or is not ready within `timeoutMs`
 */
export async function startService(name: string, entry: string, env: NodeJS.ProcessEnv, timeoutMs = 90000): Promise<RunningService> {
  mkdirSync(runDir(), { recursive: true });
  const log = join(runDir(), `${name}.log`);
  // Appended, never truncated: the log of a process that crashed is what explains the crash.
  appendFileSync(log, `${JSON.stringify({ time: new Date().toISOString(), level: 'info', component: 'stack', message: `starting ${name}: ${entry}` })}\n`);
  const from = statSync(log).size;
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: root, detached: true, stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
  });
  child.unref();
  const pid = child.pid!;
  writeFileSync(join(runDir(), `${name}.pid`), String(pid));
  let exited: number | null | undefined;
  child.once('exit', (code) => { exited = code; });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = readFileSync(log).subarray(from).toString('utf8');
    if (text.includes('"message":"ready')) return { name, pid, log };
    if (exited !== undefined || Date.now() > until) {
      throw new Error(`${name} ${exited !== undefined ? `exited with ${exited}` : `was not ready within ${timeoutMs} ms`}; log ${log}:\n${text.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops services the main job started (SIGTERM, then SIGKILL after 10 s); with no names, every one with a pid file. */
export async function stopServices(names?: string[]): Promise<string[]> {
  const dir = runDir();
  if (!existsSync(dir)) return [];
  const pidFiles = (names ?? ['gateway', 'steps', 'orchestrator']).map((n) => ({ n, f: join(dir, `${n}.pid`) })).filter((p) => existsSync(p.f));
  const stopped: string[] = [];
  for (const { n, f } of pidFiles) {
    const pid = Number(readFileSync(f, 'utf8'));
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      stopped.push(n);
    }
    rmSync(f, { force: true });
  }
  return stopped;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
