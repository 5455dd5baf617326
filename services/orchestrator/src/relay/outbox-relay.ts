import { Client } from 'pg';
import type { ClaimedOutboxMessage, EventStore } from '@baton/event-store';
import type { MessageProducer } from '@baton/kafka';
import { log } from '@baton/observability';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Rows claimed and published per round; default 500. */
  batchSize?: number;
  /** Longest wait between rounds when no NOTIFY arrives, ms; default 250. */
  pollMs?: number;
  /** Connection URL used to LISTEN for `baton_outbox` notifications; without it the relay only polls. */
  listenUrl?: string;
}

/**
 * Publishes outbox rows to Kafka and marks them sent: at-least-once publication, in row order per
 * key (the store claims a key's rows together). Woken by `NOTIFY baton_outbox`, which every
 * handler transaction sends, and by a poll as a safety net. A failed send is retried with the
 * same rows before anything newer is claimed.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private listener: Client | null = null;
  /** Messages published since start. */
  published = 0;

  constructor(private readonly store: EventStore, private readonly producer: MessageProducer, private readonly options: OutboxRelayOptions = {}) {}

  async start(): Promise<void> {
    this.running = true;
    if (this.options.listenUrl) {
      this.listener = new Client({ connectionString: this.options.listenUrl });
      await this.listener.connect();
      this.listener.on('notification', () => this.wake?.());
      this.listener.on('error', (e) => log('warn', 'outbox-relay', `LISTEN connection failed, polling only: ${e.message}`));
      await this.listener.query('LISTEN baton_outbox');
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
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
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 250);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
        this.wake = null;
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
