import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

/**
 * A service of this repository run as a child process (TypeScript through @swc-node/register),
 * so that tests can reach it over the network and kill it with SIGKILL.
 */
export class ServiceProcess {
  child: ChildProcess | null = null;
  /** Everything the process wrote to stderr (its JSON log lines), newest last, capped at 200 kB. */
  log = '';

  /**
   * @param entry - path of the entry file from the repository root, e.g. `services/orchestrator/src/main.ts`
   * @param env - environment added to this process's; `SWC_NODE_PROJECT` there replaces the workspace's `tsconfig.json`
   * @param readyWhen - text whose appearance on stderr means the service is ready, or `{ url }`: the
   *   service is ready once a GET of that URL (its `/health/ready`) answers 2xx
   */
  constructor(private readonly entry: string, private readonly env: NodeJS.ProcessEnv, private readonly readyWhen: string | { url: string } = '"message":"ready') {}

  /** Starts the process and resolves once it logged `readyWhen`. @throws Error with the log's tail when it exits or takes over `timeoutMs` (default 60 000). */
  async start(timeoutMs = 60000): Promise<void> {
    // BATON_CPU_PROF_DIR=<dir>: V8 CPU profiles of the service (written when it exits cleanly), for `--cpu-prof` analysis.
    const profDir = this.env.BATON_CPU_PROF_DIR ?? process.env.BATON_CPU_PROF_DIR;
    const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    const child = spawn(process.execPath, [...prof, '-r', '@swc-node/register', this.entry], {
      cwd: root, env: { ...process.env, ...this.env, SWC_NODE_PROJECT: this.env.SWC_NODE_PROJECT ?? join(root, 'tsconfig.json') }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let sinceStart = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-200000);
      if (sinceStart.length < 200000) sinceStart += chunk.toString();
    });
    await new Promise<void>((ready, failed) => {
      const done = () => { clearInterval(timer); clearTimeout(limit); child.removeListener('exit', onExit); ready(); };
      let probing = false;
      const timer = setInterval(() => {
        const when = this.readyWhen;
        if (typeof when === 'string') {
          if (sinceStart.includes(when)) done();
        } else if (!probing) {
          probing = true;
          fetch(when.url).then((res) => { if (res.ok) done(); }, () => undefined).finally(() => { probing = false; });
        }
      }, 50);
      const limit = setTimeout(() => { clearInterval(timer); failed(new Error(`${this.entry} did not start within ${timeoutMs} ms:\n${this.log.slice(-3000)}`)); }, timeoutMs);
      const onExit = (code: number | null) => { clearInterval(timer); clearTimeout(limit); failed(new Error(`${this.entry} exited with ${code} during start:\n${this.log.slice(-3000)}`)); };
      child.once('exit', onExit);
    });
  }

  /** SIGKILL: no shutdown hook runs. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    if (child.exitCode === null && child.signalCode === null) await this.kill();
  }
}
