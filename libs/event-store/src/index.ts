/**
 * `@baton/event-store`: Baton's append-only event store on Postgres.
 * See libs/event-store/README.md for the tables, the guarantees and why `xid8`.
 */
export { EventStore } from './event-store';
export { createEventStore, type CreateEventStoreOptions } from './create-event-store';
export { Tx, type TxState } from './transaction/tx';
export { withTransaction } from './transaction/with-transaction';
export { WrongExpectedVersionError } from './errors/wrong-expected-version.error';
export { TransactionAbortedError } from './errors/transaction-aborted.error';
export type { ExpectedVersion } from './streams/expected-version';
export type { EventMetadata } from './streams/event-metadata';
export type { NewEvent } from './streams/new-event';
export type { RecordedEvent } from './streams/recorded-event';
export type { AppendResult } from './streams/append-to-stream';
export type { StreamAppend } from './streams/append-to-streams';
export type { ReadStreamOptions } from './streams/read-stream';
export { streamTraceContext } from './streams/stream-trace-context';
export type { Checkpoint } from './all/checkpoint';
export type { ReadAllOptions, ReadAllResult } from './all/read-all';
export type { OutboxMessage, ClaimedOutboxMessage } from './outbox/outbox-message';
export type { ClaimOptions } from './outbox/claim-unsent';
export type { EnqueuedRow } from './outbox/enqueue-leased';
export type { TimerInput, DueTimer } from './timers/timer';
export { syncSchedules, claimDueSchedules, advanceSchedule, listSchedules, setSchedulePaused, type Schedule, type DeclaredSchedule } from './schedules/schedules';
export { migrate, type MigrateOptions } from './migrations/migrate';
export { eventStoreMigrations, MIGRATIONS_TABLE, type MigrationOptions } from './migrations/event-store-migrations';
export { serviceUrl, SERVICE_ROLE, DEFAULT_SERVICE_PASSWORD } from './role/service-role';
export { gatewayUrl, GATEWAY_ROLE, DEFAULT_GATEWAY_PASSWORD } from './role/gateway-role';
export { findUnstorableText, type UnstorableText } from './text/unstorable-text';
export { isPermanentDatabaseError } from './errors/permanent-database-error';
export {
  readLimits, putLimits, deleteLimits, readBreakers,
  type StepTypeLimits, type BreakerPolicy, type BreakerStatus, type CircuitState,
} from './admission/step-type-limits';
