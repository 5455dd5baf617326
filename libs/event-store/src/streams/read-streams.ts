import type { Tx } from '../transaction/tx';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './recorded-event';

/**
 * The batch form of `readStream`: the events of several streams, each from its own position on
 * (1-based, inclusive), in one statement inside `tx` (so a caller loading many cases pays one
 * round trip).
 *
 * @param from - stream id → first position to return; a stream given twice keeps its last entry
 * @returns stream id → its events in stream order (`[]` for a stream with none from there)
 */
export async function readStreams(tx: Tx, from: ReadonlyMap<string, number>): Promise<Map<string, RecordedEvent[]>> {
  const out = new Map<string, RecordedEvent[]>([...from.keys()].map((id) => [id, []]));
  if (from.size === 0) return out;
  const ids = [...from.keys()];
  const { rows } = await tx.query<EventRow>(
    `SELECT ${EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
     FROM unnest($1::text[], $2::int[]) AS s(stream_id, from_position)
     JOIN events e ON e.stream_id = s.stream_id AND e.stream_position >= s.from_position
     WHERE e.stream_id = ANY($1::text[]) -- reach the rows by the (stream_id, stream_position) index, never a scan of events
     ORDER BY e.stream_id, e.stream_position`,
    [ids, ids.map((id) => from.get(id)!)],
  );
  for (const row of rows) out.get(row.stream_id)!.push(toRecordedEvent(row));
  return out;
}
