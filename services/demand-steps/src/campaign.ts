/**
 * The demand team's pure steps: `demand.plan` (one brief per draft, channels in turn) and
 * `demand.schedule` (one slot per draft, a working day apart at 09:00 UTC, weekends skipped).
 */

/** The case input record `marketing.demand.Campaign` and demand.plan's input. */
export interface Campaign { campaignId: string; product: string; audience: string; channels: string[]; drafts: number; startAt: number }
export interface Brief { channel: string; topic: string; angle: string }
export interface Draft { channel: string; topic: string; text: string; model: string }
export interface Drafted { drafts: Draft[]; inputTokens: number; outputTokens: number; costUsd: number }
export interface Slot { channel: string; topic: string; text: string; at: number }

const TOPICS = ['the cost of a dropped case', 'state across system boundaries', 'retries that do not duplicate', 'a human gate that keeps context', 'tracing from trigger to close'];
const ANGLES = ['a customer story', 'a how-to', 'a number that surprises', 'a myth, busted'];

/**
 * The briefs of a campaign: `drafts` of them (1..10), channels taken in turn.
 * @throws RangeError naming `drafts` or `channels` when out of range or empty
 */
export function planCampaign(c: Campaign): { briefs: Brief[] } {
  if (!Number.isInteger(c.drafts) || c.drafts < 1 || c.drafts > 10) throw new RangeError(`drafts must be an integer from 1 to 10, got ${c.drafts}`);
  if (c.channels.length === 0) throw new RangeError('channels must name at least one channel');
  return {
    briefs: Array.from({ length: c.drafts }, (_, i) => ({
      channel: c.channels[i % c.channels.length]!, topic: `${c.product}: ${TOPICS[i % TOPICS.length]!}`, angle: ANGLES[i % ANGLES.length]!,
    })),
  };
}

const DAY_MS = 86_400_000;

/** One slot per draft from the first working day at or after `startAt`, 09:00 UTC, one working day apart. */
export function scheduleDrafts(startAt: number, drafted: Drafted): { slots: Slot[] } {
  let day = Math.floor(startAt / DAY_MS) * DAY_MS + 9 * 3_600_000;
  if (day < startAt) day += DAY_MS;
  const slots: Slot[] = [];
  for (const d of drafted.drafts) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY_MS;
    slots.push({ channel: d.channel, topic: d.topic, text: d.text, at: day });
    day += DAY_MS;
  }
  return { slots };
}
