import type { OutboxMessage } from '@baton/event-store';

/**
 * The outbox rows one committed transaction wrote leased to this process (the direct hand-off,
 * `enqueueLeased` in `@baton/event-store`), for {@link OutboxRelay.committed}: the relay
 * publishes them at once from memory instead of claiming them back from Postgres.
 */
export interface HandOff {
  /** The leased rows, in outbox id order: their values, keys and headers as written. */
  rows: (OutboxMessage & { id: number })[];
  /** Epoch ms by which they must be published (their lease ends later, with a margin); after it they are left to the claim. */
  publishBy: number;
  /** True when the transaction also wrote rows left to the claim (their key had an older unsent row): the claim loop is woken. */
  waiting: boolean;
}

/** How long rows written for the direct hand-off stay leased to their writer, ms: as long as a relay's claim holds (a crash delays them this long). */
export const HAND_OFF_LEASE_MS = 5000;
