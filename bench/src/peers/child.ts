import { spawn, type ChildProcess } from 'node:child_process';

/** A peer's program (a server binary, or node running a worker) as a child process, its output kept for errors. */
export class Child {
  child: ChildProcess | null = null;
  /** stdout and stderr, newest last, capped at 100 kB. */
  log = '';

  /**
   * @param label - name in errors, e.g. `restate-server`
   * @param command - executable path
   * @param args - its arguments
   * @param env - environment added to this process's
   */
  constructor(readonly label: string, private readonly command: string, private readonly args: readonly string[], private readonly env: NodeJS.ProcessEnv = {}, private readonly cwd?: string) {}

  /** Starts it; resolves at once (readiness is the caller's check). */
  start(): void {
    const child = spawn(this.command, [...this.args], { cwd: this.cwd, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => { this.log = (this.log + chunk.toString()).slice(-100000); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  /** Whether it has exited. */
  get exited(): boolean {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves when `text` appears in its output. @throws Error with the log's tail when it exits first or `timeoutMs` passes */
  async waitFor(text: string | RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const found = () => (typeof text === 'string' ? this.log.includes(text) : text.test(this.log));
    while (!found()) {
      if (this.exited) throw new Error(`${this.label} exited during start:\n${this.log.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${this.label} not ready within ${timeoutMs} ms:\n${this.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Never throws. */
  async stop(graceMs = 10000): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    if (!this.exited) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Polls `ready` every 200 ms until it resolves true. @throws Error after `timeoutMs` */
export async function until(what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The pid of a started child, as a list of zero or one. */
export function pids(c: Child): number[] {
  return c.child?.pid ? [c.child.pid] : [];
}
