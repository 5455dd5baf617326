import { MAX_MESSAGE_BYTES } from '@baton/contracts';
import type { ClaimedOutboxMessage, EventStore } from '@baton/event-store';
import { DeadLetterHeaders, deadLetterTopicOf, type MessageProducer } from '@baton/kafka';
import { createLogger, retryWithBackoff } from '@baton/observability';
import { messageBytes } from '../handling/outbox-message-too-large';
import { chunksOf, DEFAULT_MAX_SEND_BYTES } from './chunks';
import type { HandOff } from './hand-off';
import { HandOffSender } from './hand-off-sender';

const logger = createLogger('outbox-relay');

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Rows claimed and published per round; default 500. */
  batchSize?: number;
  /** Longest wait between rounds when nothing woke the relay, ms; default 250. */
  pollMs?: number;
  /** Most bytes published in one send; default 768 KiB. */
  maxSendBytes?: number;
  /** Observes a row diverted for being larger than the broker accepts (metrics). */
  onOversized?: (row: ClaimedOutboxMessage, bytes: number) => void;
  /**
   * Claim the next batch while the previous one is being sent (two batches at most in flight);
   * default false. A key's order holds: the claim never takes a row while an earlier unsent row of
   * its key is held by another claim, so the two batches share no key.
   */
  pipeline?: boolean;
}

/**
 * Publishes outbox rows to Kafka and marks them sent: at-least-once publication, in row order per
 * key (the store claims a key's rows together). Woken through {@link OutboxRelay.wake} by this
 * process's case handler after each commit, and by a poll for rows other instances left. (Not
 * by NOTIFY: Postgres serialises every notifying commit of the server on one lock, which the
 * benchmark showed to be the handlers' main wait.) Rows are sent in chunks of bounded size; a
 * failed send is retried with the same rows while their lease holds, then claimed afresh.
 *
 * A row larger than `MAX_MESSAGE_BYTES` (none is written since the case handler checks sizes,
 * but rows of older versions may be) would be refused by the broker for ever and hold back its
 * key's later rows: it is diverted instead to `<topic>.dlt` as a record with the row's key and
 * headers, a `null` value and the `baton-dlt-*` headers (`baton-dlt-outbox-id` names the row,
 * whose value stays in the outbox table), marked sent, logged and counted. So is a smaller row the
 * broker still refuses as too large (`MESSAGE_TOO_LARGE`: a topic whose own `max.message.bytes` is
 * lower): the refused send is retried one row at a time and the refused row alone is diverted.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pending = false;
  private readonly handOffs: HandOffSender;
  private publishedByClaim = 0;

  /** Messages published since start (claimed and handed off). */
  get published(): number {
    return this.publishedByClaim + this.handOffs.published;
  }

  /** Messages published since start through the direct hand-off (unclaimed). */
  get handedOff(): number {
    return this.handOffs.published;
  }

  constructor(private readonly store: EventStore, private readonly producer: MessageProducer, private readonly options: OutboxRelayOptions = {}) {
    this.handOffs = new HandOffSender(store, producer, {
      maxSendBytes: options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES,
      // Rows a transaction left to the claim may wait only behind the rows just marked sent.
      afterRound: (waiting) => { if (waiting) this.wake(); },
    });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Says new rows were committed: the relay claims them now rather than at its next poll. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  /**
   * After a commit (the case handler's `onCommitted`): publishes the rows the transaction wrote
   * leased to this process at once (the direct hand-off), and wakes the claim for the rows it
   * left to the claim; without a hand-off (rows written by plain `enqueue`), just wakes the claim.
   */
  committed(handOff?: HandOff): void {
    if (!handOff) return this.wake();
    this.handOffs.add(handOff);
    if (handOff.waiting) this.wake();
  }

  /**
   * Stops the loop, then publishes in one last round what is unsent (the rows the consumers'
   * last batches committed while they drained), so a clean stop leaves nothing behind for the
   * next start; a failure there is logged and the rows wait for the next relay.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    await this.handOffs.idle();
    await this.round().catch((error: Error) => logger.warn(`the last round at stop failed: ${error.message}`));
  }

  private async run(): Promise<void> {
    const pipeline = this.options.pipeline ?? false;
    let inFlight: Promise<void> | null = null;
    while (this.running) {
      const rows = await this.claim();
      if (rows.length === 0 && inFlight) {
        // Rows of the keys in flight could not be claimed: claim again once that batch is out.
        await inFlight;
        inFlight = null;
        continue;
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
      const previous = inFlight;
      inFlight = this.publishClaimed(rows);
      // Pipelined: this batch's send goes out while the next one is claimed; at most two in flight.
      if (!pipeline || previous) await (pipeline ? previous : inFlight);
      if (!pipeline) inFlight = null;
    }
    await inFlight;
  }

  /** Claims one batch of unsent rows and publishes them; returns how many it claimed. */
  private async round(): Promise<number> {
    const rows = await this.claim();
    if (rows.length > 0) await this.publishClaimed(rows);
    return rows.length;
  }

  /** Claims up to `batchSize` unsent rows; none when the claim failed (logged). */
  private async claim(): Promise<ClaimedOutboxMessage[]> {
    try {
      return await this.store.claimUnsent(this.options.batchSize ?? 500, { leaseMs: LEASE_MS });
    } catch (error) {
      logger.error(`claiming outbox rows failed: ${(error as Error).message}`);
      return [];
    }
  }

  /** Publishes one claimed batch, in order, and marks it sent; never throws (a failed send waits for its lease to run out). */
  private async publishClaimed(claimed: ClaimedOutboxMessage[]): Promise<void> {
    const leaseEnds = Date.now() + LEASE_MS * 0.8;
    const rows = await this.divertOversized(claimed);
    for (const chunk of chunksOf(rows, this.options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES)) {
      // Retry a failed send only while the lease holds: after it, another relay may claim these
      // rows and newer ones of the same keys, and a late retry would publish out of order.
      if (!(await this.publishWithin(chunk, leaseEnds))) break;
    }
  }

  /** Sends rows the broker would refuse to their dead-letter topic (value left out) and marks them sent; returns the others, in order. */
  private async divertOversized(rows: ClaimedOutboxMessage[]): Promise<ClaimedOutboxMessage[]> {
    const keep: ClaimedOutboxMessage[] = [];
    for (const row of rows) {
      const bytes = messageBytes(row);
      if (bytes <= MAX_MESSAGE_BYTES) { keep.push(row); continue; }
      // Keep each key's order: nothing after this row goes out this round (its lease runs out, it is claimed again).
      if (!(await this.divert(row, `outbox row ${row.id} is ${bytes} bytes, above the ${MAX_MESSAGE_BYTES} bytes the broker accepts`))) return keep;
    }
    return keep;
  }

  /**
   * Sends `row` to its dead-letter topic without its value (`MessageTooLarge`, `reason`) and marks it sent.
   * @returns false when that failed (logged): the row stays claimed until its lease runs out
   */
  private async divert(row: ClaimedOutboxMessage, reason: string): Promise<boolean> {
    const message = `${reason}; its value is kept in the outbox table`;
    try {
      await this.producer.sendVerbatim(deadLetterTopicOf(row.topic), [{
        key: row.key === null ? null : Buffer.from(row.key), value: null,
        headers: {
          ...row.headers, [DeadLetterHeaders.originalTopic]: row.topic, 'baton-dlt-outbox-id': String(row.id),
          [DeadLetterHeaders.errorName]: 'MessageTooLarge', [DeadLetterHeaders.errorMessage]: message, [DeadLetterHeaders.failedAt]: new Date().toISOString(),
        },
      }]);
      await this.store.markSent([row.id]);
    } catch (error) {
      logger.error(`diverting oversized outbox row ${row.id} failed: ${(error as Error).message}`);
      return false;
    }
    logger.error(`${message}: sent to ${deadLetterTopicOf(row.topic)} without its value`);
    this.options.onOversized?.(row, messageBytes(row));
    return true;
  }

  /**
   * After the broker refused a send as too large (a topic whose own `max.message.bytes` is below
   * `MAX_MESSAGE_BYTES`): each row alone, and the one refused alone is diverted, so it cannot hold
   * back its key for ever. @returns false when a row could neither be sent nor diverted (the rest wait)
   */
  private async publishOneByOne(rows: ClaimedOutboxMessage[], leaseEnds: number): Promise<boolean> {
    for (const row of rows) {
      try {
        await this.producer.send([{ topic: row.topic, key: row.key, value: row.value, headers: row.headers }]);
        await this.store.markSent([row.id]);
        this.publishedByClaim++;
      } catch (error) {
        if (!isRefusedAsTooLarge(error)) return this.publishWithin(rows.slice(rows.indexOf(row)), leaseEnds);
        if (!(await this.divert(row, `outbox row ${row.id} (${messageBytes(row)} bytes) was refused by the broker as too large for topic ${row.topic}: ${(error as Error).message}`))) return false;
      }
    }
    return true;
  }

  /** Publishes `rows` and marks them sent, retrying with backoff until `leaseEnds` (epoch ms); false when it gave up. */
  private async publishWithin(rows: ClaimedOutboxMessage[], leaseEnds: number): Promise<boolean> {
    try {
      await retryWithBackoff(async () => {
        await this.producer.send(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })));
        await this.store.markSent(rows.map((r) => r.id));
      }, { initialMs: 200, maxMs: 5000, deadline: leaseEnds }, {
        shouldRetry: (error) => this.running && !isRefusedAsTooLarge(error),
        onRetry: ({ error, attempt }) => logger.error(`publishing ${rows.length} outbox rows failed (attempt ${attempt}): ${error.message}`),
      });
    } catch (error) {
      if (isRefusedAsTooLarge(error)) return this.publishOneByOne(rows, leaseEnds);
      logger.error(`publishing ${rows.length} outbox rows failed, left to a later claim: ${(error as Error).message}`);
      return false;
    }
    this.publishedByClaim += rows.length;
    return true;
  }
}

export { chunksOf } from './chunks';

/**
 * How long a claim holds rows, ms. Short, because rows claimed by a relay that died wait this long
 * before another relay (or the restarted one) may publish them; a send normally takes milliseconds.
 */
const LEASE_MS = 5000;

/**
 * Whether the broker refused a send for its size (Kafka error codes 10 `MESSAGE_TOO_LARGE` and 18
 * `RECORD_LIST_TOO_LARGE`), which no retry fixes. kafkajs reports them as a `KafkaJSProtocolError`
 * with that `type`, possibly wrapped (`cause`, `originalError`) by its retrier.
 */
export function isRefusedAsTooLarge(error: unknown): boolean {
  for (let e = error as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}
