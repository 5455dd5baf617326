import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Child, pids, until } from './child';
import type { Peer } from './peer';
import { missingInstall, packageVersion, PEERS_HOME, PEERS_NODE_MODULES, port, ROOT } from './paths';

const SERVER = join(PEERS_NODE_MODULES, '@restatedev/restate-server-linux-x64/bin/restate-server');

/**
 * Restate: `restate-server` from npm (single node, every role, its default configuration: the
 * replicated loglet and RocksDB with the WAL fsynced, 24 partitions), and one SDK endpoint process
 * (`bench/peers/restate/endpoint.ts`) registered through the admin API. A case is a call to the
 * workflow's `run` handler on the ingress, answered when the workflow completed.
 * Ports: `BATON_PEER_RESTATE_INGRESS_PORT` (28080), `_ADMIN_PORT` (29070), `_FABRIC_PORT` (29071), `_ENDPOINT_PORT` (29080).
 */
export class RestatePeer implements Peer {
  readonly durable = true;
  readonly name = 'Restate';
  private readonly ports = {
    ingress: port('BATON_PEER_RESTATE_INGRESS_PORT', 28080), admin: port('BATON_PEER_RESTATE_ADMIN_PORT', 29070),
    fabric: port('BATON_PEER_RESTATE_FABRIC_PORT', 29071), endpoint: port('BATON_PEER_RESTATE_ENDPOINT_PORT', 29080),
  };
  private readonly dataDir = join(PEERS_HOME, 'run', `restate-${process.pid}`);
  private readonly server = new Child('restate-server', SERVER, ['--no-logo', '--base-dir', this.dataDir, '--node-name', 'bench'], {
    RESTATE_BIND_IP: '127.0.0.1', RESTATE_LISTEN_MODE: 'tcp', RESTATE_INGRESS__BIND_PORT: String(this.ports.ingress),
    RESTATE_ADMIN__BIND_PORT: String(this.ports.admin), RESTATE_BIND_PORT: String(this.ports.fabric),
    // No network here but the registries: no telemetry, no update check.
    RESTATE_DISABLE_TELEMETRY: 'true',
  });
  private readonly endpoint = new Child('restate endpoint', process.execPath, ['-r', '@swc-node/register', 'bench/peers/restate/endpoint.ts'], {
    BENCH_RESTATE_ENDPOINT_PORT: String(this.ports.endpoint), SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  }, ROOT);

  missing(): string | null {
    return missingInstall('npm', SERVER);
  }

  async start(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
    this.server.start();
    const admin = `http://127.0.0.1:${this.ports.admin}`;
    await until('restate-server admin API', async () => !this.server.exited && (await fetch(`${admin}/health`, { signal: AbortSignal.timeout(5000) })).ok, 60000)
      .catch((e: Error) => { throw new Error(`${e.message}:\n${this.server.log.slice(-2000)}`); });
    this.endpoint.start();
    await this.endpoint.waitFor('"message":"ready', 60000);
    const registered = await fetch(`${admin}/deployments`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uri: `http://127.0.0.1:${this.ports.endpoint}`, force: true }),
    });
    if (!registered.ok) throw new Error(`registering the endpoint: HTTP ${registered.status} ${await registered.text()}`);
    let probe = 0;
    await until('the workflow on the ingress', async () => (await fetch(this.ingressUrl(`ready-${probe++}`), { method: 'POST', signal: AbortSignal.timeout(5000) })).ok, 30000);
  }

  private ingressUrl(key: string): string {
    return `http://127.0.0.1:${this.ports.ingress}/bench/${encodeURIComponent(key)}/run`;
  }

  async runCase(key: string): Promise<void> {
    const res = await fetch(this.ingressUrl(key), { method: 'POST' });
    const body = await res.text();
    if (!res.ok) throw new Error(`Restate case ${key}: HTTP ${res.status} ${body}`);
  }

  async cpuPids(): Promise<Record<string, number[]>> {
    return { server: pids(this.server), endpoint: pids(this.endpoint) };
  }

  memoryPids(): number[] {
    return [...pids(this.server), ...pids(this.endpoint)];
  }

  setup(): string {
    return `restate-server ${packageVersion('@restatedev/restate-server')} (npm), @restatedev/restate-sdk ${packageVersion('@restatedev/restate-sdk')}; ` +
      'single node with every role, default configuration (replicated loglet, replication 1, RocksDB WAL fsync on, 24 partitions), data in a fresh directory; ' +
      'a workflow `bench` whose `run` does five `ctx.run` (d ∥ e with RestatePromise.all); one endpoint process over HTTP/2; ' +
      'cases are ingress calls `POST /bench/<key>/run` from the benchmark process, answered when the workflow completed.';
  }

  async stop(): Promise<void> {
    await this.endpoint.stop();
    await this.server.stop(30000);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
