import { join } from 'node:path';
import { Pool } from 'pg';
import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { Child } from './child';
import type { Peer } from './peer';
import { missingInstall, packageVersion, PEERS_NODE_MODULES, port, ROOT } from './paths';

/**
 * DBOS: `@dbos-inc/dbos-sdk` in one process (`bench/peers/dbos/app.ts`), its system database a
 * fresh database on the server `DATABASE_URL` points to (so the same Postgres, with the same fsync
 * setting, as Baton's), every DBOS setting at its default. A case is `POST /run/<key>` on the
 * process's own HTTP server (`BATON_PEER_DBOS_PORT`, 23001), answered when the workflow completed.
 * Its CPU includes the Postgres backends connected to its database.
 */
export class DbosPeer implements Peer {
  readonly durable = true;
  readonly name = 'DBOS';
  private readonly port = port('BATON_PEER_DBOS_PORT', 23001);
  private db: FreshDatabase | null = null;
  private admin: Pool | null = null;
  private app: Child | null = null;
  private postgresVersion = '?';

  missing(): string | null {
    return missingInstall('npm', join(PEERS_NODE_MODULES, '@dbos-inc/dbos-sdk/package.json'));
  }

  async start(): Promise<void> {
    this.db = await freshDatabase('bench_dbos');
    this.admin = new Pool({ connectionString: this.db.url, max: 1, application_name: 'baton-bench' });
    const { rows } = await this.admin.query<{ v: string; fsync: string }>("SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync");
    this.postgresVersion = `PostgreSQL ${rows[0]!.v}, fsync=${rows[0]!.fsync}`;
    this.app = new Child('DBOS app', process.execPath, ['-r', '@swc-node/register', 'bench/peers/dbos/app.ts'], {
      DBOS_SYSTEM_DATABASE_URL: this.db.url, BENCH_DBOS_PORT: String(this.port), SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    }, ROOT);
    this.app.start();
    await this.app.waitFor('"message":"ready', 120000);
  }

  async runCase(key: string): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.port}/run/${encodeURIComponent(key)}`, { method: 'POST' });
    const body = await res.text();
    if (!res.ok) throw new Error(`DBOS case ${key}: HTTP ${res.status} ${body}`);
  }

  async cpuPids(): Promise<Record<string, number[]>> {
    const backends = this.admin && this.db
      ? (await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.db.name])).rows.map((r) => r.pid)
      : [];
    return { app: this.memoryPids(), postgres: backends };
  }

  memoryPids(): number[] {
    return this.app?.child?.pid ? [this.app.child.pid] : [];
  }

  setup(): string {
    return `@dbos-inc/dbos-sdk ${packageVersion('@dbos-inc/dbos-sdk')}; system database: a fresh database on the benchmark's ${this.postgresVersion} (the same server as Baton's), ` +
      'DBOS defaults otherwise (its own pg pool, no queue: workflows started directly); a workflow of five `@DBOS.step()` (d ∥ e with Promise.allSettled) in one process, ' +
      'cases are `POST /run/<key>` on that process (workflow id = key), answered after `getResult()`. CPU counts that process and its Postgres backends.';
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.admin?.end().catch(() => undefined);
    await this.db?.drop().catch(() => undefined);
  }
}
