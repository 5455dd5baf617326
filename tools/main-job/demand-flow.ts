/** The demand-gen main job: campaigns through plan, draft, schedule, a review every case passes, publish (services/demand-steps). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowSpec } from './flows';

const PRODUCTS = ['Baton', 'Baton Cloud', 'Baton for finance'];
const AUDIENCES = ['operations leads', 'platform engineers', 'CFOs'];
const CHANNELS = [['linkedin'], ['linkedin', 'newsletter'], ['blog', 'linkedin', 'x']];

export const demandGen: FlowSpec = {
  workflow: 'demand-gen',
  service: 'services/demand-steps/src/main.ts',
  yaml: 'services/demand-steps/workflows/demand-gen.yaml',
  inputSchema: 'services/demand-steps/contracts/demand/Campaign.avsc',
  queue: 'demand',
  env: (home) => ({ BATON_DEMAND_DIR: join(home, 'effects') }),
  inputs: (n) => Array.from({ length: n }, (_, i) => ({
    key: `campaign-${i + 1}`,
    input: { campaignId: `cmp-${i + 1}`, product: PRODUCTS[i % 3]!, audience: AUDIENCES[(i + 1) % 3]!, channels: CHANNELS[i % 3]!, drafts: 2 + (i % 3), startAt: Date.UTC(2026, 11, 7) },
  })),
  summary: (cases, home) => {
    const dir = join(home, 'effects', 'publications');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0;
    const published = cases.filter((c) => c.summary.steps.publish?.status === 'completed').length;
    return [
      `drafter: ${process.env.BATON_LLM_URL ? `OpenAI-compatible at ${process.env.BATON_LLM_URL}` : 'local template (BATON_LLM_URL not set)'}`,
      `reviewed before publish: ${cases.filter((c) => c.summary.steps.schedule?.status === 'completed').length} of ${cases.length}`,
      `published: ${published} cases, ${files} publication files (one per case)`,
    ];
  },
  pickTrace: (cases) => cases.find((c) => c.summary.steps.publish?.status === 'completed')?.caseId,
};
