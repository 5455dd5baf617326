import { freshDatabase, type FreshDatabase } from '@baton/testing';
import { Client } from 'pg';
import { migrate } from '../migrations/migrate';
import { createEventStore } from '../create-event-store';
import type { EventStore } from '../event-store';

/**
 * A fresh, migrated database and a store on it, for one integration test file.
 * @internal Test helper; not exported from the lib.
 */
export interface StoreFixture {
  db: FreshDatabase;
  store: EventStore;
  /** A plain client on the test database as its owner; closed by `dispose`. */
  connect(url?: string): Promise<Client>;
  dispose(): Promise<void>;
}

/** @internal */
export async function storeFixture(prefix: string): Promise<StoreFixture> {
  const db = await freshDatabase(prefix);
  await migrate(db.url);
  const store = await createEventStore(db.url, { poolSize: 8 });
  const clients: Client[] = [];
  return {
    db,
    store,
    async connect(url = db.url) {
      const client = new Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.allSettled(clients.map((c) => c.end()));
      await store.close();
      await db.drop();
    },
  };
}
