/**
 * Size limits every door agrees on, until large payloads travel by reference (a claim check).
 *
 * The broker refuses a record batch above `message.max.bytes` (Kafka's default 1 048 588 bytes),
 * and the orchestrator publishes each outbox row as one record; so no outbox row (key, value and
 * headers) may be larger than {@link MAX_MESSAGE_BYTES}, which leaves room for the batch framing.
 *
 * A case input travels as JSON in the `CaseStarted` case event and, mapped, in step requests;
 * {@link MAX_CASE_INPUT_JSON_BYTES} bounds the UTF-8 length of `JSON.stringify(input)` at every door
 * (HTTP 413 at the gateway, a dead letter on the triggers topic), so those rows stay under the limit.
 */
export const MAX_MESSAGE_BYTES = 1_000_000;

/** Longest case input, as the UTF-8 bytes of its JSON text: 512 KiB. */
export const MAX_CASE_INPUT_JSON_BYTES = 512 * 1024;

/**
 * Default claim threshold: a step input or output whose single-object encoding (or a case event's
 * JSON text) is longer than this many bytes (256 KiB) is stored once in the claim store and the
 * message carries a `baton.v1.ClaimReference` instead (`@baton/claims`).
 */
export const DEFAULT_CLAIM_THRESHOLD_BYTES = 256 * 1024;
