/**
 * What an event says about where it came from, stored in `events.metadata` (jsonb), never
 * in its payload (Marten's rule). Free keys may be added (trace context, user, model).
 */
export interface EventMetadata {
  /** Id shared by every message and event of one business flow (the case's trigger). */
  correlationId?: string;
  /** Id of the message or event that directly caused this one. */
  causationId?: string;
  [key: string]: unknown;
}
