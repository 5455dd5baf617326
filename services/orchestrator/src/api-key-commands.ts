import type { Command } from 'commander';
import { Pool } from 'pg';
import { ApiKeys } from '@baton/auth';

/**
 * `api-key create|list|revoke`: API keys of upstream systems (docs/SECURITY.md), on the owner
 * connection. `create` prints the key once; only its SHA-256 is stored.
 * @param databaseUrl - reads `DATABASE_URL` when a command runs
 */
export function addApiKeyCommands(program: Command, databaseUrl: () => string): void {
  const withKeys = async <T>(f: (keys: ApiKeys) => Promise<T>): Promise<T> => {
    const pool = new Pool({ connectionString: databaseUrl(), max: 1 });
    try {
      return await f(new ApiKeys(pool));
    } finally {
      await pool.end();
    }
  };
  const apiKey = program.command('api-key').description('API keys of upstream systems (stored as SHA-256)');
  apiKey.command('create').description('create a key and print it (shown once)')
    .requiredOption('--tenant <tenant>', 'the tenant the key acts in')
    .requiredOption('--name <name>', 'who holds it, e.g. crm-prod')
    .requiredOption('--roles <roles>', 'comma-separated: starter:<workflow>, reviewer:<queue>, viewer, operator, admin')
    .action(async (o: { tenant: string; name: string; roles: string }) => {
      const { keyId, key } = await withKeys((k) => k.create({ tenant: o.tenant, name: o.name, roles: o.roles.split(',').map((r) => r.trim()).filter(Boolean) }));
      console.log(JSON.stringify({ keyId, key }));
    });
  apiKey.command('list').description('every key: id, tenant, name, roles, created, revoked (no secrets)').action(async () => {
    console.log(JSON.stringify(await withKeys((k) => k.list()), null, 2));
  });
  apiKey.command('revoke').argument('<keyId>').description('revoke a key at once').action(async (keyId: string) => {
    if (!(await withKeys((k) => k.revoke(keyId)))) throw new Error(`no API key '${keyId}'`);
    console.log(`api key ${keyId}: revoked`);
  });
}
