/**
 * Names of the schema objects that code reacts to (constraint names in pg errors), shared
 * by the migration and the hot paths so that they cannot drift apart.
 * @internal
 */
export const STREAM_POSITION_CONSTRAINT = 'events_stream_id_stream_position_key';
/** @internal */
export const EVENT_ID_CONSTRAINT = 'events_event_id_key';
/** @internal Postgres SQLSTATE for `unique_violation`. */
export const UNIQUE_VIOLATION = '23505';
