/**
 * The lead team's step types as step functions (`stepHandler`), passing the case id and the
 * effects folder to the step logic. `BATON_INJECT_FAIL_ONCE=<type>[,<type>]` makes the first
 * attempt of those types fail with the retryable `InjectedFault` (the demo's failure: the case
 * resumes at that step, its earlier steps are not run again).
 */
import { stepHandler, type StepContext, type StepFn } from '@baton/step-sdk';
import { generateContract, type ContractInput, type ContractOutput } from './contract-pdf';
import {
  createInvoice, createProject, leadDir, sendForSignature,
  type InvoiceInput, type InvoiceOutput, type ProjectInput, type ProjectOutput, type SignInput, type SignOutput,
} from './effects';
import { qualifyLead, type QualifyInput, type QualifyOutput } from './qualify';
import { join } from 'node:path';

/** A retryable failure injected on purpose. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

function injectFault(ctx: StepContext): void {
  const types = (process.env.BATON_INJECT_FAIL_ONCE ?? '').split(',').map((t) => t.trim());
  if (ctx.attempt === 1 && types.includes(ctx.stepType)) throw new InjectedFault(`BATON_INJECT_FAIL_ONCE: attempt 1 of ${ctx.stepType} fails`);
}

/** A step function that fails its first attempt first when `BATON_INJECT_FAIL_ONCE` names its type. */
function withFault<I, O>(fn: (input: I, ctx: StepContext) => O | Promise<O>): StepFn<I, O> {
  return async (input, ctx) => {
    injectFault(ctx);
    return fn(input, ctx);
  };
}

/** Every handler by its step type, each a step function (`stepHandler`) passing the case id and the effects folder on. */
export const LEAD_HANDLERS = {
  /** The ICP score and whether the lead is qualified. */
  'lead.qualify': stepHandler<QualifyInput, QualifyOutput>('lead.qualify', withFault((input) => qualifyLead(input))),
  /** The delivery project, once per case. */
  'project.create': stepHandler<ProjectInput, ProjectOutput>('project.create', withFault((input, ctx) => createProject(input, ctx.caseId, leadDir()))),
  /** The contract PDF and its SHA-256. */
  'contract.generate': stepHandler<ContractInput, ContractOutput>('contract.generate', withFault((input, ctx) => generateContract(input, ctx.caseId, join(leadDir(), 'contracts')))),
  /** The envelope sent for signature, once per case. */
  'contract.sign': stepHandler<SignInput, SignOutput>('contract.sign', withFault((input, ctx) => sendForSignature(input, ctx.caseId, leadDir()))),
  /** The invoice, once per case, in integer minor units. */
  'invoice.create': stepHandler<InvoiceInput, InvoiceOutput>('invoice.create', withFault((input, ctx) => createInvoice(input, ctx.caseId, leadDir()))),
} as const;
