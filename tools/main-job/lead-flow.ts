/** The lead-to-contract main job: seeded leads, invoice.create failing once by injection (services/lead-steps). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLeads } from '../../services/lead-steps/src/leads';
import { formatMinor } from '../../services/lead-steps/src/money';
import type { FlowSpec } from './flows';

interface Invoice { totalMinor: number; currency: string }

export const leadToContract: FlowSpec = {
  workflow: 'lead-to-contract',
  service: 'services/lead-steps/src/main.ts',
  yaml: 'services/lead-steps/workflows/lead-to-contract.yaml',
  inputSchema: 'services/lead-steps/contracts/lead/Lead.avsc',
  queue: 'contracts',
  env: (home) => ({ BATON_LEAD_DIR: join(home, 'effects'), BATON_INJECT_FAIL_ONCE: 'invoice.create' }),
  inputs: (n) => generateLeads(n).map((lead) => ({ key: lead.leadId, input: lead })),
  summary: (cases, home) => {
    const ended = cases.filter((c) => c.summary.steps.project?.status === 'skipped').length;
    const qualified = cases.length - ended;
    const dir = join(home, 'effects', 'invoices');
    const invoices = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Invoice) : [];
    const totals = new Map<string, number>();
    for (const i of invoices) totals.set(i.currency, (totals.get(i.currency) ?? 0) + i.totalMinor);
    const pdfs = existsSync(join(home, 'effects', 'contracts')) ? readdirSync(join(home, 'effects', 'contracts')).filter((f) => f.endsWith('.pdf')).length : 0;
    return [
      `leads qualified: ${qualified}; unqualified, ended early after qualify: ${ended}`,
      `contracts rendered (PDF): ${pdfs}; invoices raised: ${invoices.length} (one file per case)`,
      `invoiced: ${[...totals].map(([cur, minor]) => formatMinor(minor, cur)).join(', ') || 'nothing'}`,
    ];
  },
  pickTrace: (cases) => cases.find((c) => c.summary.steps.invoice?.status === 'completed')?.caseId,
};
