import type { Tx } from '../transaction/tx';
import { int8 } from '../internal/int8';
import type { OutboxMessage } from './outbox-message';

/**
 * Adds messages to the outbox inside `tx`; a relay publishes them once `tx` commits
 * (transactional outbox: no message without its events, no events without their messages).
 * @returns the new rows' ids, in the order of `messages`.
 */
export async function enqueue(tx: Tx, messages: readonly OutboxMessage[]): Promise<number[]> {
  if (messages.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO outbox (topic, message_key, value, headers)
     SELECT m.topic, m.message_key, m.value, m.headers::jsonb
     FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[]) WITH ORDINALITY AS m(topic, message_key, value, headers, ord)
     ORDER BY m.ord
     RETURNING id`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.value),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
    ],
  );
  return rows.map((r) => int8(r.id, 'outbox id')).sort((a, b) => a - b);
}
