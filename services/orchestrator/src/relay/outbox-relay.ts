import type { ClaimedOutboxMessage, EventStore } from '@baton/event-store';
import type { MessageProducer } from '@baton/kafka';
import { log } from '@baton/observability';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Rows claimed and published per round; default 500. */
  batchSize?: number;
  /** Longest wait between rounds when nothing woke the relay, ms; default 250. */
  pollMs?: number;
}

/**
 * Publishes outbox rows to Kafka and marks them sent: at-least-once publication, in row order per
 * key (the store claims a key's rows together). Woken through {@link OutboxRelay.wake} by this
 * process's case handler after each commit, and by a poll for rows other instances left. (Not
 * by NOTIFY: Postgres serialises every notifying commit of the server on one lock, which the
 * benchmark showed to be the handlers' main wait.) A failed send is retried with the same rows
 * before anything newer is claimed.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pending = false;
  /** Messages published since start. */
  published = 0;

  constructor(private readonly store: EventStore, private readonly producer: MessageProducer, private readonly options: OutboxRelayOptions = {}) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Says new rows were committed: the relay claims them now rather than at its next poll. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Publishes everything unsent now (used by tests and at shutdown); returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.store.claimUnsent(this.options.batchSize ?? 500);
      if (rows.length === 0) return total;
      await this.publish(rows);
      total += rows.length;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let rows: ClaimedOutboxMessage[] = [];
      try {
        rows = await this.store.claimUnsent(this.options.batchSize ?? 500);
      } catch (error) {
        log('error', 'outbox-relay', `claiming outbox rows failed: ${(error as Error).message}`);
      }
      if (rows.length === 0) {
        if (!this.pending) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.pollMs ?? 250);
            this.wakeUp = () => { clearTimeout(timer); resolve(); };
          });
          this.wakeUp = null;
        }
        this.pending = false;
        continue;
      }
      for (let attempt = 1; this.running || attempt === 1; attempt++) {
        try {
          await this.publish(rows);
          break;
        } catch (error) {
          log('error', 'outbox-relay', `publishing ${rows.length} outbox rows failed (attempt ${attempt}): ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
        }
      }
    }
  }

  private async publish(rows: ClaimedOutboxMessage[]): Promise<void> {
    await this.producer.send(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })));
    await this.store.markSent(rows.map((r) => r.id));
    this.published += rows.length;
  }
}
