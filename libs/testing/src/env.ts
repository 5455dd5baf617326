import { randomBytes } from 'node:crypto';

/** Broker list for tests, from `KAFKA_BROKERS` (comma-separated `host:port`), default `127.0.0.1:9092`. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
}

/** Connection URL of the test server, from `DATABASE_URL`, default the local embedded PostgreSQL. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://baton:baton@127.0.0.1:5433/baton';
}

/** A name no other test run uses: `<prefix>-<12 hex>`, for topics, groups and databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
