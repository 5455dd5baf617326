/** One partition that has held a message in handling for a while. */
export interface PartitionStall {
  topic: string;
  partition: number;
  /** How long the oldest message still in handling on the partition has been in it, seconds. */
  seconds: number;
}

/**
 * Tracks, per partition, when each message still in handling (first attempt, retries and their
 * backoff included) started, so the age of the oldest one tells how long the partition's
 * committed offset has been held back by it. A healthy partition reads 0 (or milliseconds).
 */
export class StallClock {
  private readonly inFlight = new Map<string, { topic: string; partition: number; starts: Map<symbol, number> }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Marks a message as in handling; call the returned function when it is done (handled or dead-lettered). */
  begin(topic: string, partition: number): () => void {
    const id = `${topic}\u0000${partition}`;
    let entry = this.inFlight.get(id);
    if (!entry) {
      entry = { topic, partition, starts: new Map() };
      this.inFlight.set(id, entry);
    }
    const token = Symbol('message');
    entry.starts.set(token, this.now());
    const e = entry;
    return () => {
      e.starts.delete(token);
      if (e.starts.size === 0) this.inFlight.delete(id);
    };
  }

  /** Every partition with a message in handling, with its age in seconds; oldest first. */
  stalls(): PartitionStall[] {
    const now = this.now();
    const out: PartitionStall[] = [];
    for (const { topic, partition, starts } of this.inFlight.values()) {
      const oldest = Math.min(...starts.values());
      out.push({ topic, partition, seconds: (now - oldest) / 1000 });
    }
    return out.sort((a, b) => b.seconds - a.seconds);
  }

  /** Forgets every message (the consumer stopped or lost its partitions). */
  clear(): void {
    this.inFlight.clear();
  }
}
