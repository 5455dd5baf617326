/**
 * The demand team's step types as `@StepHandler` classes. `demand.publish` writes one publication
 * per case (`<BATON_DEMAND_DIR>/publications/<caseId>.json`, default `.baton/demand-steps`) with the
 * SDK's `writeOnce`, so a retry, a redelivery or a crash after the write publishes nothing twice.
 */
import { join, resolve } from 'node:path';
import { StepHandler, writeOnce, type Step, type StepContext } from '@baton/step-sdk';
import { planCampaign, scheduleDrafts, type Brief, type Campaign, type Drafted, type Slot } from './campaign';
import { draftPosts, type DraftInput } from './drafter';

/** Where publications go. */
export function demandDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BATON_DEMAND_DIR || join('.baton', 'demand-steps'));
}

@StepHandler('demand.plan')
export class PlanStep implements Step<Campaign, { briefs: Brief[] }> {
  async handle(input: Campaign): Promise<{ briefs: Brief[] }> {
    return planCampaign(input);
  }
}

@StepHandler('demand.draft')
export class DraftStep implements Step<DraftInput, Drafted> {
  async handle(input: DraftInput, ctx: StepContext): Promise<Drafted> {
    const out = await draftPosts(input, ctx.signal);
    ctx.reportMetering({ model: out.drafts[0]?.model ?? 'local-template', inputTokens: out.inputTokens, outputTokens: out.outputTokens, costUsd: out.costUsd });
    return out;
  }
}

@StepHandler('demand.schedule')
export class ScheduleStep implements Step<{ startAt: number; drafted: Drafted }, { slots: Slot[] }> {
  async handle(input: { startAt: number; drafted: Drafted }): Promise<{ slots: Slot[] }> {
    return scheduleDrafts(input.startAt, input.drafted);
  }
}

/** demand.publish's output record. */
export interface Publication { publicationId: string; posts: number; publishedAt: number }

@StepHandler('demand.publish')
export class PublishStep implements Step<{ campaignId: string; schedule: { slots: Slot[] } }, Publication> {
  async handle(input: { campaignId: string; schedule: { slots: Slot[] } }, ctx: StepContext): Promise<Publication> {
    const { record } = writeOnce(join(demandDir(), 'publications'), ctx.caseId, () => ({
      caseId: ctx.caseId, publicationId: `pub-${input.campaignId}`, posts: input.schedule.slots.length, publishedAt: Date.now(), slots: input.schedule.slots,
    }));
    return { publicationId: record.publicationId, posts: record.posts, publishedAt: record.publishedAt };
  }
}

/** Every handler class by its step type. */
export const DEMAND_HANDLERS = { 'demand.plan': PlanStep, 'demand.draft': DraftStep, 'demand.schedule': ScheduleStep, 'demand.publish': PublishStep } as const;
