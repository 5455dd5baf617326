import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { renderContract } from './contract-pdf';
import { createInvoice } from './effects';
import { generateLeads } from './leads';
import { formatMinor, taxMinor } from './money';
import { qualifyLead } from './qualify';
import { selectStepTypes } from '@baton/step-sdk';
import { LEAD_HANDLERS } from './handlers';

describe('the lead team\'s step functions', () => {
  it('generates the same leads for the same seed, some qualified and some not', () => {
    const a = generateLeads(40);
    assert.deepEqual(generateLeads(40), a);
    assert.notDeepEqual(generateLeads(40, 1), a);
    const qualified = a.filter((l) => qualifyLead(l).qualified).length;
    assert.ok(qualified > 0 && qualified < 40, `qualified ${qualified} of 40`);
    for (const l of a) assert.ok(Number.isSafeInteger(l.dealAmountMinor) && l.dealAmountMinor % 100 === 0);
  });

  it('scores a lead from its fit and says why', () => {
    const q = qualifyLead({ leadId: 'l', industry: 'software', employees: 200, country: 'DE', dealAmountMinor: 2_500_000, currency: 'EUR' });
    assert.deepEqual([q.score, q.qualified, q.reasons.length], [100, true, 4]);
    assert.equal(qualifyLead({ leadId: 'l', industry: 'retail', employees: 8, country: 'BR', dealAmountMinor: 300_000, currency: 'USD' }).qualified, false);
  });

  it('computes tax in integer minor units, rounding half away from zero, where floats would drift', () => {
    assert.equal(taxMinor(1005, 2000), 201); // 201.0
    assert.equal(taxMinor(1, 5000), 1); // 0.5 rounds up
    assert.equal(taxMinor(1, 4999), 0);
    assert.equal(formatMinor(123456789, 'EUR'), 'EUR 1,234,567.89');
    assert.equal(formatMinor(5, 'USD'), 'USD 0.05');
    assert.throws(() => taxMinor(10.5, 2000), /amountMinor must be a non-negative safe integer/);
  });

  it('renders a real PDF whose bytes, and so hash, are the same for the same input', async () => {
    const input = { leadId: 'lead-1', company: 'Acme', contactName: 'Ada L', amountMinor: 1_200_000, currency: 'EUR' };
    const one = await renderContract(input, 'ctr-1');
    const two = await renderContract(input, 'ctr-1');
    assert.equal(Buffer.from(one.subarray(0, 5)).toString(), '%PDF-');
    assert.equal(createHash('sha256').update(one).digest('hex'), createHash('sha256').update(two).digest('hex'));
    assert.equal((await PDFDocument.load(one)).getPageCount(), 1);
    assert.notDeepEqual(await renderContract({ ...input, amountMinor: 1 }, 'ctr-1'), one);
  });

  it('raises one invoice per case however often it runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lead-inv-'));
    try {
      const input = { leadId: 'l1', company: 'Acme', projectId: 'p', contractId: 'c', amountMinor: 1_000_001, currency: 'EUR', taxRateBasisPoints: 2000 };
      const first = createInvoice(input, 'case-1', dir);
      assert.deepEqual(createInvoice({ ...input, amountMinor: 5 }, 'case-1', dir), first);
      assert.deepEqual([first.subtotalMinor, first.taxMinor, first.totalMinor, first.total], [1_000_001, 200_000, 1_200_001, 'EUR 12,000.01']);
      assert.deepEqual(readdirSync(join(dir, 'invoices')).filter((f) => f.endsWith('.json')), ['case-1.json']);
      assert.throws(() => createInvoice({ ...input, amountMinor: -1 }, 'case-2', dir), /InvalidAmount|amountMinor/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads BATON_STEP_TYPES, naming an unknown type', () => {
    assert.equal(selectStepTypes(LEAD_HANDLERS, '').length, 5);
    assert.deepEqual(selectStepTypes(LEAD_HANDLERS, 'invoice.create, lead.qualify'), ['invoice.create', 'lead.qualify']);
    assert.throws(() => selectStepTypes(LEAD_HANDLERS, 'invoice.create,nope'), /BATON_STEP_TYPES: unknown step type 'nope'/);
  });
});
