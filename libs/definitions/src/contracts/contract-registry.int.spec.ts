import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { createType, SchemaCatalog } from '@baton/avro';
import { loadContracts } from '@baton/contracts';
import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { migrateDefinitions } from '../migrations';
import { ContractRegistry } from './contract-registry';
import { ContractSync } from './contract-sync';
import { IncompatibleContractError, InvalidContractError } from './errors';

const v1 = { type: 'record', name: 'Input', namespace: 'baton.steps.crm_sync', fields: [{ name: 'account', type: 'string' }] };
const v2 = { ...v1, fields: [...v1.fields, { name: 'region', type: 'string', default: 'eu' }] };
const broken = { ...v1, fields: [...v1.fields, { name: 'owner', type: 'string' }] };

describe('the contract registry on Postgres', () => {
  let db: FreshDatabase;
  let pool: Pool;
  let registry: ContractRegistry;

  before(async () => {
    db = await freshDatabase('contracts');
    await migrateDefinitions(db.url);
    pool = new Pool({ connectionString: db.url, max: 4 });
    const builtIn = loadContracts();
    registry = new ContractRegistry(pool, { builtIn: (n) => (builtIn.has(n) ? builtIn.type(n).schema() as object : undefined) });
  });

  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('stores every version, refuses an incompatible one naming the field, and an old reader reads the new version', async () => {
    const first = await registry.register(JSON.stringify(v1));
    assert.deepEqual([first.version, first.created], [1, true]);
    assert.equal((await registry.register(v1)).created, false, 'the same schema again is no new version');
    await assert.rejects(registry.register(broken), (e: unknown) => e instanceof IncompatibleContractError && /field baton\.steps\.crm_sync\.Input\.owner was added without a default/.test(e.message));
    const second = await registry.register(v2, 'baton.steps.crm_sync.Input');
    assert.equal(second.version, 2);
    assert.deepEqual((await registry.versionsOf('baton.steps.crm_sync.Input')).map((v) => v.version), [1, 2]);

    // A catalog kept in step learns both versions; data written with v1 reads as v2 (the default fills in)...
    const catalog = new SchemaCatalog();
    const sync = new ContractSync(registry, catalog);
    assert.equal(await sync.refresh(), 2);
    assert.equal(catalog.get('baton.steps.crm_sync.Input').fingerprintHex, second.fingerprint);
    const old = new SchemaCatalog();
    old.register(v1);
    const written = old.encode('baton.steps.crm_sync.Input', { account: 'acme' });
    assert.deepEqual({ ...catalog.decode(written, 'baton.steps.crm_sync.Input').value as object }, { account: 'acme', region: 'eu' });
    // ...and an old reader, still on v1, reads data written with v2 (the new field is skipped).
    const newer = catalog.encode('baton.steps.crm_sync.Input', { account: 'acme', region: 'us' });
    const oldReader = createType(v1);
    const writer = createType(v2);
    const body = newer.subarray(10);
    assert.deepEqual({ ...oldReader.fromBuffer(body, oldReader.createResolver(writer)) as object }, { account: 'acme' });
    assert.equal(await sync.refresh(), 0, 'nothing new');
  });

  it("refuses Baton's own envelopes and a built-in step contract's incompatible change", async () => {
    await assert.rejects(registry.register({ type: 'record', name: 'CancelCase', namespace: 'baton.v1', fields: [] }), InvalidContractError);
    await assert.rejects(registry.register({ type: 'record', name: 'Output', namespace: 'baton.steps.noop', fields: [{ name: 'ok', type: 'string' }] }),
      (e: unknown) => e instanceof IncompatibleContractError && /built-in version/.test(e.message));
    await assert.rejects(registry.register('{"type":'), InvalidContractError);
    await assert.rejects(registry.register(v1, 'baton.steps.other.Input'), /a subject is the record's full name/);
  });

  it('gives concurrent registrations of one subject distinct versions', async () => {
    const variants = [1, 2, 3, 4].map((i) => ({ type: 'record', name: 'Output', namespace: 'baton.steps.race', fields: Array.from({ length: i }, (_, j) => ({ name: `f${j}`, type: 'int', default: 0 })) }));
    const results = await Promise.all(variants.map((s) => registry.register(s)));
    assert.deepEqual(results.map((r) => r.version).sort(), [1, 2, 3, 4]);
  });
});
