/**
 * The demand team's step types as step functions (`stepHandler`). `demand.publish` writes one publication
 * per case (`<BATON_DEMAND_DIR>/publications/<caseId>.json`, default `.baton/demand-steps`) with the
 * SDK's `writeOnce`, so a retry, a redelivery or a crash after the write publishes nothing twice.
 */
import { join, resolve } from 'node:path';
import { stepHandler, writeOnce } from '@baton/step-sdk';
import { planCampaign, scheduleDrafts, type Brief, type Campaign, type Drafted, type Slot } from './campaign';
import { draftPosts, type DraftInput } from './drafter';

/** Where publications go. */
export function demandDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BATON_DEMAND_DIR || join('.baton', 'demand-steps'));
}

/** demand.publish's output record. */
export interface Publication { publicationId: string; posts: number; publishedAt: number }

type ScheduleInput = { startAt: number; drafted: Drafted };
type PublishInput = { campaignId: string; schedule: { slots: Slot[] } };

/** Every handler by its step type, each a step function (`stepHandler`). */
export const DEMAND_HANDLERS = {
  'demand.plan': stepHandler<Campaign, { briefs: Brief[] }>('demand.plan', async (input) => planCampaign(input)),
  'demand.draft': stepHandler<DraftInput, Drafted>('demand.draft', async (input, ctx) => {
    const out = await draftPosts(input, ctx.signal);
    ctx.reportMetering({ model: out.drafts[0]?.model ?? 'local-template', inputTokens: out.inputTokens, outputTokens: out.outputTokens, costUsd: out.costUsd });
    return out;
  }),
  'demand.schedule': stepHandler<ScheduleInput, { slots: Slot[] }>('demand.schedule', async (input) => scheduleDrafts(input.startAt, input.drafted)),
  'demand.publish': stepHandler<PublishInput, Publication>('demand.publish', async (input, ctx) => {
    const { record } = writeOnce(join(demandDir(), 'publications'), ctx.caseId, () => ({
      caseId: ctx.caseId, publicationId: `pub-${input.campaignId}`, posts: input.schedule.slots.length, publishedAt: Date.now(), slots: input.schedule.slots,
    }));
    return { publicationId: record.publicationId, posts: record.posts, publishedAt: record.publishedAt };
  }),
} as const;
