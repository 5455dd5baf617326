import { MAX_MESSAGE_BYTES } from '@baton/contracts';
import type { OutboxMessage } from '@baton/event-store';
import { UnprocessableMessageError } from '@baton/kafka';

/**
 * An outbox message larger than the broker accepts (`MAX_MESSAGE_BYTES`): it is never written,
 * since the relay could never publish it and it would hold back its key's later rows. For a step
 * request the attempt fails non-retryably (`InputTooLarge`); for a case event the command's
 * message is dead-lettered (this error is an `UnprocessableMessageError`).
 */
export class OutboxMessageTooLarge extends UnprocessableMessageError {
  constructor(readonly topic: string, readonly bytes: number) {
    super('OutboxMessageTooLarge', `the message for ${topic} would be ${bytes} bytes, above the ${MAX_MESSAGE_BYTES} bytes the broker accepts`);
  }
}

/** Bytes of a message as the broker counts them, near enough: key, value, header names and values. */
export function messageBytes(m: OutboxMessage): number {
  let n = m.value.length + (m.key === null ? 0 : Buffer.byteLength(m.key));
  for (const [k, v] of Object.entries(m.headers)) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

/** @throws OutboxMessageTooLarge when `m` is larger than `MAX_MESSAGE_BYTES` */
export function checkedSize(m: OutboxMessage): OutboxMessage {
  const bytes = messageBytes(m);
  if (bytes > MAX_MESSAGE_BYTES) throw new OutboxMessageTooLarge(m.topic, bytes);
  return m;
}
