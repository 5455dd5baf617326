import { randomUUID } from 'node:crypto';
import type { Tx } from '../transaction/tx';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error';
import { expectedAsNumber, type ExpectedVersion } from './expected-version';
import type { NewEvent } from './new-event';
import { STREAM_POSITION_CONSTRAINT, UNIQUE_VIOLATION } from '../internal/schema-names';
import { STREAM_VERSION_SQL } from './stream-version';

/** One stream's part of {@link appendToStreams}. */
export interface StreamAppend {
  streamId: string;
  /** A number or `'no-stream'`: every stream of a batch append is checked (`'any'` is not taken). */
  expectedVersion: Exclude<ExpectedVersion, 'any'>;
  /** At least one event. */
  events: readonly NewEvent[];
}

// One round trip for every stream: each stream's version is read and compared with what its
// caller expects, and the events of the streams that match are inserted at the next positions.
// A mismatch is reported back (the caller then rolls the transaction back, so the rows inserted
// for the other streams never commit); a concurrent append still collides on the unique
// (stream_id, stream_position).
const APPEND_MANY_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
    AS e(stream_id, expected, event_id, event_type, schema_fingerprint, data, metadata, ord)
), streams AS (
  SELECT DISTINCT stream_id, expected FROM input
), current AS (
  SELECT s.stream_id, s.expected,
         coalesce((SELECT max(stream_position) FROM events v WHERE v.stream_id = s.stream_id), 0) AS version
  FROM streams s
), appended AS (
  INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_fingerprint, data, metadata)
  SELECT i.stream_id, c.version + i.ord, i.event_id, i.event_type, i.schema_fingerprint, i.data::jsonb, i.metadata::jsonb
  FROM input i JOIN current c ON c.stream_id = i.stream_id AND c.version = i.expected
  ORDER BY i.stream_id, i.ord
  RETURNING 1
)
SELECT stream_id, expected, version FROM current WHERE version <> expected`;

function json(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serializable`);
  return text;
}

/**
 * Appends to several streams inside `tx` in one statement (the batched handler's group commit):
 * each stream's events at positions `version + 1 ... version + n`, every stream checked against
 * its expected version. All or nothing for the caller: on a mismatch it throws, and the caller's
 * rollback discards the rows written for the other streams.
 *
 * @throws WrongExpectedVersionError for the first stream not at its expected version, or one a
 *   concurrent transaction appended to first (then `tx` is already rolled back). Reload and retry.
 * @throws TypeError for an empty stream id, a stream given twice, or a stream with no events
 * @throws the pg error `23505` on `events_event_id_key` when an `eventId` is already stored.
 */
export async function appendToStreams(tx: Tx, appends: readonly StreamAppend[]): Promise<void> {
  if (appends.length === 0) return;
  const seen = new Set<string>();
  const cols: unknown[][] = [[], [], [], [], [], [], [], []];
  for (const a of appends) {
    if (typeof a.streamId !== 'string' || a.streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
    if (seen.has(a.streamId)) throw new TypeError(`stream ${a.streamId} is given twice: merge its events into one append`);
    if (a.events.length === 0) throw new TypeError(`stream ${a.streamId}: an append needs at least one event`);
    seen.add(a.streamId);
    const expected = expectedAsNumber(a.expectedVersion)!;
    a.events.forEach((e, i) => {
      cols[0]!.push(a.streamId); cols[1]!.push(expected); cols[2]!.push(e.eventId ?? randomUUID()); cols[3]!.push(e.type);
      cols[4]!.push(e.schemaFingerprint ?? null); cols[5]!.push(json(e.data, `${a.streamId} events[${i}].data`));
      cols[6]!.push(json(e.metadata ?? {}, `${a.streamId} events[${i}].metadata`)); cols[7]!.push(i + 1);
    });
  }
  let mismatches: { stream_id: string; expected: number; version: number }[];
  try {
    ({ rows: mismatches } = await tx.query<{ stream_id: string; expected: number; version: number }>(APPEND_MANY_SQL, cols));
  } catch (error) {
    const e = error as { code?: string; constraint?: string; detail?: string } | null;
    if (e?.code === UNIQUE_VIOLATION && e.constraint === STREAM_POSITION_CONSTRAINT) {
      // "Key (stream_id, stream_position)=(<id>, <n>) already exists."
      const streamId = /=\((.*), \d+\)/.exec(e.detail ?? '')?.[1] ?? appends[0]!.streamId;
      const a = appends.find((x) => x.streamId === streamId) ?? appends[0]!;
      const { rows } = await tx.rollbackThenQuery<{ version: number }>(STREAM_VERSION_SQL, [a.streamId]);
      throw new WrongExpectedVersionError(a.streamId, a.expectedVersion, rows[0]!.version);
    }
    throw error;
  }
  if (mismatches.length > 0) {
    const m = mismatches[0]!;
    throw new WrongExpectedVersionError(m.stream_id, m.expected === 0 ? 'no-stream' : m.expected, m.version);
  }
}
