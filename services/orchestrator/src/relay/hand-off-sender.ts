import type { EventStore, OutboxMessage } from '@baton/event-store';
import type { MessageProducer } from '@baton/kafka';
import { createLogger, retryWithBackoff } from '@baton/observability';
import type { HandOff } from './hand-off';
import { chunksOf } from './chunks';

const logger = createLogger('outbox-relay');

/**
 * The direct hand-off's sender: publishes the outbox rows committed transactions wrote leased to
 * this process ({@link HandOff}) straight from memory, then marks them sent in one statement per
 * round. Hand-offs that arrive while a round is being sent go out together in the next one. Rows
 * are sent in id order within each hand-off; two hand-offs of one round share no key (a key's
 * rows are leased only while it has no unsent row, so the second transaction of a key waits for
 * the claim until the first one's rows are marked sent). A failed send is retried until the
 * round's earliest `publishBy`, then that chunk and the ones after it are left to the claim
 * (their lease lapses): at-least-once, never out of order.
 */
export class HandOffSender {
  private queue: HandOff[] = [];
  private active: Promise<void> | null = null;
  /** Messages this sender published. */
  published = 0;

  /**
   * @param afterRound - called after each round that marked rows sent with whether any of its
   *   transactions left rows to the claim (those may be claimable now)
   */
  constructor(
    private readonly store: EventStore,
    private readonly producer: MessageProducer,
    private readonly options: { maxSendBytes: number; afterRound: (waiting: boolean) => void },
  ) {}

  /** Queues one transaction's leased rows; sends them at once unless a round is in flight. */
  add(handOff: HandOff): void {
    if (handOff.rows.length === 0) return;
    this.queue.push(handOff);
    if (!this.active) this.active = this.drain();
  }

  /** Resolves once every queued hand-off was sent (or left to the claim). */
  async idle(): Promise<void> {
    while (this.active) await this.active;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.round(this.queue.splice(0));
    } finally {
      this.active = null;
    }
  }

  private async round(handOffs: HandOff[]): Promise<void> {
    const now = Date.now();
    const live = handOffs.filter((h) => h.publishBy > now);
    if (live.length < handOffs.length) logger.warn(`${handOffs.length - live.length} hand-offs came after their lease; left to the claim`);
    const publishBy = Math.min(...live.map((h) => h.publishBy));
    const sent: number[] = [];
    for (const chunk of chunksOf<OutboxMessage & { id: number }>(live.flatMap((h) => h.rows), this.options.maxSendBytes)) {
      try {
        await retryWithBackoff(() => this.producer.send(chunk.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers }))),
          { initialMs: 100, maxMs: 1000, deadline: publishBy },
          { onRetry: ({ error, attempt }) => logger.error(`handing off ${chunk.length} outbox rows failed (attempt ${attempt}): ${error.message}`) });
      } catch (error) {
        logger.error(`handing off ${chunk.length} outbox rows failed, left to the claim: ${(error as Error).message}`);
        break;
      }
      sent.push(...chunk.map((r) => r.id));
    }
    if (sent.length === 0) return;
    try {
      await retryWithBackoff(() => this.store.markSent(sent), { initialMs: 50, maxMs: 1000, deadline: Date.now() + 5000 });
    } catch (error) {
      // Published but not marked: the lease lapses and a claim publishes them again (at-least-once).
      logger.error(`marking ${sent.length} handed-off outbox rows sent failed: ${(error as Error).message}`);
    }
    this.published += sent.length;
    this.options.afterRound(live.some((h) => h.waiting));
  }
}
