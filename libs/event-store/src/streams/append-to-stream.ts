import { randomUUID } from 'node:crypto';
import type { Tx } from '../transaction/tx';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { expectedAsNumber, type ExpectedVersion } from './expected-version';
import type { NewEvent } from './new-event';
import { int8 } from '../internal/int8';
import { STREAM_POSITION_CONSTRAINT, UNIQUE_VIOLATION } from '../internal/schema-names';
import { STREAM_VERSION_SQL } from './stream-version';

/** What an append wrote. */
export interface AppendResult {
  /** The stream's version after the append (its last stream position): expect it next time. */
  nextExpectedVersion: number;
  /** The global positions given to the appended events, in their order. */
  globalPositions: number[];
}

// One round trip: read the stream's version, check it, insert every event with the next
// positions. The check and the insert share one snapshot; a concurrent append that the
// snapshot cannot see still collides on the unique (stream_id, stream_position).
const APPEND_SQL = `
WITH current AS (
  SELECT coalesce(max(stream_position), 0) AS version FROM events WHERE stream_id = $1
), appended AS (
  INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_fingerprint, data, metadata)
  SELECT $1, current.version + e.ord::int, e.event_id, e.event_type, e.schema_fingerprint, e.data::jsonb, e.metadata::jsonb
  FROM current,
       unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS e(event_id, event_type, schema_fingerprint, data, metadata, ord)
  WHERE $2::int IS NULL OR current.version = $2::int
  ORDER BY e.ord
  RETURNING global_position, stream_position
)
SELECT (SELECT version FROM current) AS version,
       coalesce((SELECT array_agg(global_position ORDER BY stream_position) FROM appended), '{}')::text[] AS positions`;

function json(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serializable`);
  return text;
}

/**
 * Appends `events` to `streamId` inside `tx`, at positions `version + 1 ... version + n`.
 *
 * @param expectedVersion - see {@link ExpectedVersion}.
 * @param events - at least one event for a write; an empty list only checks the version.
 * @throws WrongExpectedVersionError when the stream is not at `expectedVersion` (`tx` stays
 *   open; roll it back by rethrowing), or when a concurrent transaction appended to the same
 *   stream first (Postgres has aborted `tx`, which is then rolled back here and refuses
 *   further statements). Either way: reload and retry the whole transaction.
 * @throws the pg error `23505` on `events_event_id_key` when an `eventId` is already stored.
 */
export async function appendToStream(
  tx: Tx,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  const expected = expectedAsNumber(expectedVersion);

  if (events.length === 0) {
    const { rows } = await tx.query<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
    const actual = rows[0].version;
    if (expected !== null && actual !== expected) throw new WrongExpectedVersionError(streamId, expectedVersion, actual);
    return { nextExpectedVersion: actual, globalPositions: [] };
  }

  const values = [
    streamId,
    expected,
    events.map((e) => e.eventId ?? randomUUID()),
    events.map((e) => e.type),
    events.map((e) => e.schemaFingerprint ?? null),
    events.map((e, i) => json(e.data, `events[${i}].data`)),
    events.map((e, i) => json(e.metadata ?? {}, `events[${i}].metadata`)),
  ];

  let row: { version: number; positions: string[] };
  try {
    ({ rows: [row] } = await tx.query<{ version: number; positions: string[] }>(APPEND_SQL, values));
  } catch (error) {
    if (isStreamPositionConflict(error)) {
      // The other transaction has committed (the unique check waited for it), so a fresh
      // statement sees the version that beat us.
      const { rows } = await tx.rollbackThenQuery<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
      throw new WrongExpectedVersionError(streamId, expectedVersion, rows[0].version);
    }
    throw error;
  }

  if (row.positions.length === 0) throw new WrongExpectedVersionError(streamId, expectedVersion, row.version);
  return {
    nextExpectedVersion: row.version + events.length,
    globalPositions: row.positions.map((p) => int8(p, 'global position')),
  };
}

function isStreamPositionConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === UNIQUE_VIOLATION && e.constraint === STREAM_POSITION_CONSTRAINT;
}
