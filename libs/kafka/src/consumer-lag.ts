import type { Admin } from 'kafkajs';

/** Lag of one partition for one consumer group. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** Messages between the group's committed offset and the high watermark (from the low watermark when nothing is committed). */
  lag: number;
}

/**
 * Consumer lag per partition: the topic's high watermark minus the group's committed offset
 * (`admin.fetchTopicOffsets`, `admin.fetchOffsets`). A partition the group never committed counts
 * from its low watermark, since Baton's consumers start from the beginning.
 * @throws kafkajs errors when the broker cannot be reached
 */
export async function consumerLag(admin: Admin, group: string, topics: readonly string[]): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
  const out: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    for (const end of ends) {
      const at = mine.get(end.partition);
      const from = at === undefined || at < 0 ? Number(end.low) : at;
      out.push({ group, topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
    }
  }
  return out;
}
