import { Client } from 'pg';
import { databaseUrl, uniqueName } from './env';

/** A database created for one test file, dropped by {@link FreshDatabase.drop}. */
export interface FreshDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  /** Its name, `t_<prefix>_<hex>`. */
  readonly name: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the test server, so that test files never see each other's rows.
 * @param prefix - a short word naming the test (letters, digits, underscores).
 */
export async function freshDatabase(prefix: string): Promise<FreshDatabase> {
  const name = uniqueName(`t_${prefix}`).replace(/-/g, '_').toLowerCase();
  const admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: databaseUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
