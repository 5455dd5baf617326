import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planCampaign, scheduleDrafts } from './campaign';
import { draftPosts } from './drafter';
import { selectStepTypes } from '@baton/step-sdk';
import { DEMAND_HANDLERS } from './handlers';

const campaign = { campaignId: 'c1', product: 'Baton', audience: 'SREs', channels: ['linkedin', 'blog'], drafts: 3, startAt: Date.UTC(2026, 11, 5, 12) }; // a Saturday

describe('the demand team\'s steps', () => {
  it('plans one brief per draft, channels in turn, and names a bad field', () => {
    const { briefs } = planCampaign(campaign);
    assert.deepEqual(briefs.map((b) => b.channel), ['linkedin', 'blog', 'linkedin']);
    assert.throws(() => planCampaign({ ...campaign, drafts: 0 }), /drafts must be an integer from 1 to 10/);
    assert.throws(() => planCampaign({ ...campaign, channels: [] }), /channels must name at least one/);
  });

  it('drafts several posts locally without BATON_LLM_URL, and schedules them on working days at 09:00 UTC', async () => {
    const drafted = await draftPosts({ product: 'Baton', audience: 'SREs', plan: planCampaign(campaign) }, new AbortController().signal, {});
    assert.equal(drafted.drafts.length, 3);
    assert.equal(new Set(drafted.drafts.map((d) => d.text)).size, 3, 'the drafts differ');
    const { slots } = scheduleDrafts(campaign.startAt, drafted);
    assert.deepEqual(slots.map((s) => new Date(s.at).toISOString()), ['2026-12-07T09:00:00.000Z', '2026-12-08T09:00:00.000Z', '2026-12-09T09:00:00.000Z']);
  });

  it('gates publish behind a review every case passes: no `when`, and silence rejects', () => {
    const wf = parse(readFileSync(join(__dirname, '..', 'workflows', 'demand-gen.yaml'), 'utf8')) as { steps: Record<string, { needs?: string[]; review?: { when?: string; onTimeout?: string } }> };
    assert.deepEqual(wf.steps.publish!.needs, ['schedule']);
    assert.ok(wf.steps.schedule!.review, 'schedule has a review gate');
    assert.equal(wf.steps.schedule!.review!.when, undefined);
    assert.equal(wf.steps.schedule!.review!.onTimeout, 'reject');
  });

  it('reads BATON_STEP_TYPES, naming an unknown type', () => {
    assert.equal(selectStepTypes(DEMAND_HANDLERS, '').length, 4);
    assert.throws(() => selectStepTypes(DEMAND_HANDLERS, 'demand.nope'), /unknown step type 'demand.nope'/);
  });
});
