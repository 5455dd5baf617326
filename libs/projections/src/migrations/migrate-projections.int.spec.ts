import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { EventStore } from '@baton/event-store';
import { migrateProjections } from './migrate-projections';
import { Projector } from '../projector/projector';
import { rebuildProjections } from '../rebuild';
import { CaseDriver } from '../testing/driver';
import { projectionFixture, type ProjectionFixture } from '../testing/fixture';

describe('migrating the projection tables', () => {
  let f: ProjectionFixture;
  before(async () => (f = await projectionFixture('projmig')));
  after(async () => f?.dispose());

  it('is idempotent and records itself in migrations_projections', async () => {
    await migrateProjections(f.db.url);
    const { rows } = await f.pool.query('SELECT name FROM migrations_projections');
    const names: string[] = rows.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, 'each migration recorded once');
    for (const name of ['CreateProjectionTables1700000000200', 'CaseSummaryFamily1764700003000', 'GatewayReadsProjections1796169646000', 'CaseSummaryControls1764700005500']) assert.ok(names.includes(name), name);
  });

  it('lets the service role project, rebuild and read, without owning anything', async () => {
    await new CaseDriver(f.store, 'svc-1').start(1_767_225_600_000);
    const asService = new Pool({ connectionString: f.db.url, options: '-c role=baton_service', max: 3 });
    const store = new EventStore(asService);
    try {
      assert.equal((await asService.query('SELECT current_user AS u')).rows[0].u, 'baton_service');
      assert.equal(await new Projector(store).catchUp(), 2);
      assert.equal(await rebuildProjections(store), 2);
      assert.equal((await asService.query('SELECT count(*)::int AS n FROM timeline')).rows[0].n, 2);
    } finally {
      await store.close();
    }
  });
});
