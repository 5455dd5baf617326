/**
 * The lead team's effects on "its systems" (files standing in for the project tool, the signature
 * provider and the invoicing system), each applied at most once per case with the SDK's `writeOnce`.
 */
import { join, resolve } from 'node:path';
import { NonRetryableError, writeOnce } from '@baton/step-sdk';
import { formatMinor, taxMinor } from './money';

/** Where the effects go: `BATON_LEAD_DIR`, default `.baton/lead-steps`. */
export function leadDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BATON_LEAD_DIR || join('.baton', 'lead-steps'));
}

/** project.create's input and output records. */
export interface ProjectInput { leadId: string; company: string; industry: string }
export interface ProjectOutput { projectId: string; createdAt: number }

/** Opens the delivery project of a case, once (`projects/<caseId>.json`). */
export function createProject(input: ProjectInput, caseId: string, dir: string, now = Date.now()): ProjectOutput {
  const { record } = writeOnce(join(dir, 'projects'), caseId, () => ({ caseId, projectId: `prj-${input.leadId}`, company: input.company, industry: input.industry, createdAt: now }));
  return { projectId: record.projectId, createdAt: record.createdAt };
}

/** contract.sign's input and output records. */
export interface SignInput { contractId: string; sha256: string; signerName: string; signerEmail: string }
export interface SignOutput { envelopeId: string; contractSha256: string; signerEmail: string }

/** Sends the contract for signature, once (`envelopes/<caseId>.json`); the review task that follows is the signature. */
export function sendForSignature(input: SignInput, caseId: string, dir: string): SignOutput {
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) throw new NonRetryableError('InvalidContractHash', `sha256 must be 64 hex digits, got '${input.sha256}'`);
  const { record } = writeOnce(join(dir, 'envelopes'), caseId, () => ({ caseId, envelopeId: `env-${input.contractId}`, contractSha256: input.sha256, signerEmail: input.signerEmail }));
  return { envelopeId: record.envelopeId, contractSha256: record.contractSha256, signerEmail: record.signerEmail };
}

/** invoice.create's input and output records; amounts in integer minor units. */
export interface InvoiceInput { leadId: string; company: string; projectId: string; contractId: string; amountMinor: number; currency: string; taxRateBasisPoints: number }
export interface InvoiceOutput { invoiceId: string; subtotalMinor: number; taxMinor: number; totalMinor: number; currency: string; total: string }

/**
 * Raises the invoice of a case, once (`invoices/<caseId>.json`).
 * @throws NonRetryableError `InvalidAmount` naming the field when an amount or rate is not a non-negative integer
 */
export function createInvoice(input: InvoiceInput, caseId: string, dir: string): InvoiceOutput {
  let tax: number;
  try {
    tax = taxMinor(input.amountMinor, input.taxRateBasisPoints);
  } catch (e) {
    throw new NonRetryableError('InvalidAmount', (e as Error).message);
  }
  const totalMinor = input.amountMinor + tax;
  const { record } = writeOnce(join(dir, 'invoices'), caseId, () => ({
    caseId, invoiceId: `inv-${input.leadId}`, subtotalMinor: input.amountMinor, taxMinor: tax, totalMinor, currency: input.currency,
    total: formatMinor(totalMinor, input.currency), projectId: input.projectId, contractId: input.contractId,
  }));
  return { invoiceId: record.invoiceId, subtotalMinor: record.subtotalMinor, taxMinor: record.taxMinor, totalMinor: record.totalMinor, currency: record.currency, total: record.total };
}
