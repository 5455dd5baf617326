import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrateDefinitions } from '@baton/definitions';
import { gatewayUrl, migrate, serviceUrl } from '@baton/event-store';
import { migrateProjections } from '@baton/projections';
import { freshDatabase, type FreshDatabase } from '@baton/testing';

/** The SQLSTATE a statement fails with, or `ok`. */
async function sqlstate(pool: Pool, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await pool.query(sql, params);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('the gateway connects as baton_gateway, which reads events and projections and cannot change them', () => {
  let db: FreshDatabase;
  let gateway: Pool;
  let service: Pool;
  before(async () => {
    db = await freshDatabase('gwrole');
    await migrate(db.url);
    await migrateDefinitions(db.url);
    await migrateProjections(db.url);
    gateway = new Pool({ connectionString: gatewayUrl(db.url), max: 2 });
    service = new Pool({ connectionString: serviceUrl(db.url), max: 2 });
    // A case the service role appended and projected, for the gateway to read.
    await service.query(`INSERT INTO events (stream_id, stream_position, event_id, event_type, data) VALUES ('case-1', 1, $1, 'CaseStarted', '{}')`, [randomUUID()]);
    await service.query(`INSERT INTO case_summary (case_id, workflow, workflow_version, status, started_at, event_count, last_event_at, updated_position) VALUES ('case-1', 'w', 1, 'running', now(), 1, now(), 1)`);
  });
  after(async () => {
    await gateway?.end();
    await service?.end();
    await db?.drop();
  });

  it('reads events and projections as baton_gateway', async () => {
    assert.equal((await gateway.query('SELECT current_user AS u')).rows[0].u, 'baton_gateway');
    assert.equal((await gateway.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = 'case-1'`)).rows[0].n, 1);
    assert.equal((await gateway.query(`SELECT status FROM case_summary WHERE case_id = 'case-1'`)).rows[0].status, 'running');
    for (const table of ['step_executions', 'human_tasks', 'timeline', 'checkpoints', 'timers', 'workflow_definitions', 'contract_schemas']) {
      assert.equal(await sqlstate(gateway, `SELECT 1 FROM ${table} LIMIT 1`), 'ok', `SELECT on ${table}`);
    }
  });

  it('cannot INSERT into events, nor UPDATE or DELETE them (42501 insufficient_privilege)', async () => {
    assert.equal(await sqlstate(gateway, `INSERT INTO events (stream_id, stream_position, event_id, event_type, data) VALUES ('case-1', 2, $1, 'CaseCancelled', '{}')`, [randomUUID()]), '42501');
    assert.equal(await sqlstate(gateway, `UPDATE events SET data = '{}' WHERE stream_id = 'case-1'`), '42501');
    assert.equal(await sqlstate(gateway, `DELETE FROM events`), '42501');
  });

  it('cannot UPDATE, INSERT into or DELETE from a projection, nor touch the inbox, outbox or timers', async () => {
    assert.equal(await sqlstate(gateway, `UPDATE case_summary SET status = 'completed' WHERE case_id = 'case-1'`), '42501');
    assert.equal(await sqlstate(gateway, `DELETE FROM timeline`), '42501');
    assert.equal(await sqlstate(gateway, `INSERT INTO human_tasks SELECT * FROM human_tasks LIMIT 0`), '42501');
    for (const table of ['inbox', 'outbox', 'timers', 'checkpoints']) assert.equal(await sqlstate(gateway, `DELETE FROM ${table}`), '42501', `DELETE on ${table}`);
    assert.equal((await gateway.query(`SELECT status FROM case_summary WHERE case_id = 'case-1'`)).rows[0].status, 'running');
  });

  it('may INSERT into the registries it serves, never UPDATE or DELETE them', async () => {
    const { rows } = await gateway.query(`SELECT
      has_table_privilege('baton_gateway', 'workflow_definitions', 'INSERT') AS wd_insert,
      has_table_privilege('baton_gateway', 'contract_schemas', 'INSERT') AS cs_insert,
      has_table_privilege('baton_gateway', 'workflow_definitions', 'UPDATE') AS wd_update,
      has_table_privilege('baton_gateway', 'contract_schemas', 'DELETE') AS cs_delete`);
    assert.deepEqual(rows[0], { wd_insert: true, cs_insert: true, wd_update: false, cs_delete: false });
  });
});
