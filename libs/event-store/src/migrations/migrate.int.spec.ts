import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Client } from 'pg';
import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { migrate } from './migrate';
import { SERVICE_ROLE } from '../role/service-role';

const root = join(__dirname, '..', '..', '..', '..');

describe('migrations', () => {
  let db: FreshDatabase;
  before(async () => (db = await freshDatabase('es_migrate')));
  after(async () => db?.drop());

  async function tables(): Promise<string[]> {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      return rows.map((r) => r.t);
    } finally {
      await c.end();
    }
  }

  it('creates the schema once and does nothing when run again', async () => {
    assert.deepEqual(await migrate(db.url), ['EventStoreSchema1767225600000', 'TimersByStream1796169600000', 'StepAdmission1796169607000', 'Claims1796169641000', 'Schedules1796169642000', 'GatewayRole1796169646000', 'GatewayOperatorGrants1796169650000']);
    assert.deepEqual(await migrate(db.url), []);
    assert.deepEqual(await tables(), ['checkpoints', 'claims', 'event_store_migrations', 'events', 'inbox', 'outbox', 'schedules', 'step_admission', 'step_outcomes', 'step_type_limits', 'step_type_state', 'timers']);
  });

  it('lets several processes migrate the same database at once', async () => {
    const other = await freshDatabase('es_migrate_race');
    try {
      const results = await Promise.all([migrate(other.url), migrate(other.url), migrate(other.url)]);
      assert.deepEqual(results.map((r) => r.length).sort(), [0, 0, 7]);
    } finally {
      await other.drop();
    }
  });

  it('sets the service role password when one is given, even with nothing to migrate', async () => {
    const url = new URL(db.url);
    assert.deepEqual(await migrate(db.url, { servicePassword: 'rotated' }), []);
    url.username = SERVICE_ROLE;
    url.password = 'rotated';
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    await c.end();
    await migrate(db.url, { servicePassword: 'baton' }); // back to the default the other tests use
  });

  it('runs from the command line with DATABASE_URL', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'libs/event-store/src/cli.ts', 'migrate'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    assert.equal(stdout, 'event store schema is up to date\n');
  });
});
