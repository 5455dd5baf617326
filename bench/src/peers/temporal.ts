import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Child, pids, until } from './child';
import type { Peer } from './peer';
import { missingInstall, packageVersion, PEERS_HOME, PEERS_NODE_MODULES, port, ROOT, TEMPORAL_CLI_VERSION } from './paths';

/** The part of `@temporalio/client` used here (it is installed apart from the workspace, so not typed from it). */
interface TemporalClientModule {
  Connection: { connect(o: { address: string }): Promise<{ close(): Promise<void> }> };
  Client: new (o: { connection: unknown; namespace: string }) => {
    workflow: { execute(workflow: string, o: { taskQueue: string; workflowId: string }): Promise<unknown> };
  };
}

const CLI = join(PEERS_HOME, 'bin', `temporal-${TEMPORAL_CLI_VERSION}`);

/**
 * Temporal: the `temporal` CLI's dev server (`temporal server start-dev`, built from the Go module
 * proxy by `install.sh`), headless (no UI), its SQLite persisted to a file (`--db-filename`; without
 * it the dev server keeps everything in memory), and one worker process
 * (`bench/peers/temporal/worker.ts`, the TypeScript SDK's default worker options). A case is
 * `client.workflow.execute` from the benchmark process. Port: `BATON_PEER_TEMPORAL_PORT` (27233; its HTTP API and metrics on that + 10 and + 11).
 */
export class TemporalPeer implements Peer {
  /** @param inMemory - the dev server's own default (no `--db-filename`): nothing survives its process, so not durable */
  constructor(private readonly inMemory = false) {
    this.name = inMemory ? 'Temporal (in memory)' : 'Temporal';
    this.durable = !inMemory;
    this.server = new Child('temporal dev server', CLI, [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port), '--headless', '--log-level', 'warn',
      // Its HTTP API and metrics would take random ports otherwise.
      '--http-port', String(this.port + 10), '--metrics-port', String(this.port + 11),
      ...(this.inMemory ? [] : ['--db-filename', join(this.dataDir, 'temporal.db')]),
    ]);
  }

  readonly name: string;
  readonly durable: boolean;
  private readonly port = port('BATON_PEER_TEMPORAL_PORT', 27233);
  private readonly dataDir = join(PEERS_HOME, 'run', `temporal-${process.pid}`);
  private readonly server: Child;
  private readonly worker = new Child('temporal worker', process.execPath, ['-r', '@swc-node/register', 'bench/peers/temporal/worker.ts'], {
    TEMPORAL_ADDRESS: `127.0.0.1:${this.port}`, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  }, ROOT);
  private client: InstanceType<TemporalClientModule['Client']> | null = null;
  private connection: { close(): Promise<void> } | null = null;

  missing(): string | null {
    return missingInstall('temporal', CLI) ?? missingInstall('npm', join(PEERS_NODE_MODULES, '@temporalio/client/package.json'));
  }

  async start(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
    this.server.start();
    const sdk = createRequire(join(PEERS_NODE_MODULES, 'index.js'))('@temporalio/client') as TemporalClientModule;
    await until('the temporal dev server', async () => {
      if (this.server.exited) throw new Error(this.server.log.slice(-2000));
      this.connection = await sdk.Connection.connect({ address: `127.0.0.1:${this.port}` });
      return true;
    }, 60000);
    this.client = new sdk.Client({ connection: this.connection, namespace: 'default' });
    this.worker.start();
    await this.worker.waitFor('"message":"ready', 120000);
  }

  async runCase(key: string): Promise<void> {
    if (!this.client) throw new Error('Temporal is not started');
    await this.client.workflow.execute('benchNoop', { taskQueue: 'bench', workflowId: key });
  }

  async cpuPids(): Promise<Record<string, number[]>> {
    return { server: pids(this.server), worker: pids(this.worker) };
  }

  memoryPids(): number[] {
    return [...pids(this.server), ...pids(this.worker)];
  }

  setup(): string {
    return `temporal CLI ${TEMPORAL_CLI_VERSION} (Temporal Server 1.29.1; go install from the module proxy), \`server start-dev\` headless, ` +
      `${this.inMemory ? 'SQLite in memory (the dev server\'s default)' : 'SQLite in a file (--db-filename, no --sqlite-pragma; without it the dev server keeps everything in memory)'}; ` +
      `@temporalio/worker ${packageVersion('@temporalio/worker')} with default options, five activities (d ∥ e with Promise.all), one worker process; ` +
      'cases are `client.workflow.execute` from the benchmark process.';
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    // The connection is left open: closing it under calls still retrying (a burst that timed out)
    // makes grpc-js throw from a timer, which would end the benchmark; they fail once the server is gone.
    await this.server.stop(30000);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
