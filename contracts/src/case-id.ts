import { createHash } from 'node:crypto';

/** Namespace of Baton case ids (a random UUID fixed for ever): RFC 9562 name-based ids are scoped by it. */
const CASE_NAMESPACE = Buffer.from('6f1c2a7e4b5d4e8f9a0b1c2d3e4f5a6b', 'hex');

/**
 * The case id a trigger starts, as an RFC 9562 version-5 (SHA-1, name-based) UUID, so that every
 * door (HTTP, Kafka, cron) and every redelivery of a trigger names the same case:
 * with an idempotency key, from `(workflow, key)`: the same key always means the same case;
 * without one, from the trigger's own id.
 */
export function caseIdFor(trigger: { workflow: string; key?: string | null; triggerId: string; tenant?: string | null }): string {
  // A tenant other than the default one is part of a keyed name (NUL never occurs in a key), so two tenants' same key name two cases.
  const tenant = trigger.tenant && trigger.tenant !== 'default' ? `\u0000${trigger.tenant}` : '';
  const name = trigger.key ? `key\u0000${trigger.workflow}\u0000${trigger.key}${tenant}` : `trigger\u0000${trigger.triggerId}`;
  const hash = createHash('sha1').update(CASE_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
