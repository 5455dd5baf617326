// The DBOS side of `npm run bench -- --peers`: one process, a workflow of five `@DBOS.step()`s
// (a, b, c, then d and e in parallel) whose system database is $DBOS_SYSTEM_DATABASE_URL.
// Cases arrive as HTTP requests, as in a DBOS app behind its web framework: POST /run/<key>
// starts the workflow with id <key> and answers when it completed.
import { createServer } from 'node:http';
import { DBOS } from '@dbos-inc/dbos-sdk';

class Bench {
  @DBOS.step() static async a() { return { ok: true }; }
  @DBOS.step() static async b() { return { ok: true }; }
  @DBOS.step() static async c() { return { ok: true }; }
  @DBOS.step() static async d() { return { ok: true }; }
  @DBOS.step() static async e() { return { ok: true }; }

  @DBOS.workflow()
  static async run() {
    await Bench.a();
    await Bench.b();
    await Bench.c();
    // DBOS runs steps in parallel when they are started in a deterministic order; allSettled, as its docs advise.
    const parallel = await Promise.allSettled([Bench.d(), Bench.e()]);
    for (const p of parallel) if (p.status === 'rejected') throw p.reason;
    return { ok: true };
  }
}

async function main(): Promise<void> {
  DBOS.setConfig({ name: 'baton-bench', systemDatabaseUrl: process.env['DBOS_SYSTEM_DATABASE_URL'], logLevel: 'warn' });
  await DBOS.launch();
  const port = Number(process.env['BENCH_DBOS_PORT'] ?? 23001);
  const server = createServer((req, res) => {
    const key = /^\/run\/([^/]+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !key) { res.writeHead(404).end(); return; }
    DBOS.startWorkflow(Bench, { workflowID: decodeURIComponent(key) }).run()
      .then((handle) => handle.getResult())
      .then((result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        (error: Error) => res.writeHead(500).end(error.message));
  });
  server.listen(port, '127.0.0.1', () => process.stderr.write(`{"message":"ready","port":${port}}\n`));
  process.once('SIGTERM', () => { server.close(); void DBOS.shutdown().finally(() => process.exit(0)); });
}

main().catch((error: Error) => { process.stderr.write(`${error.stack ?? error.message}\n`); process.exit(1); });
