/**
 * The lead team's step types as `@StepHandler` classes: thin wrappers passing the case id and the
 * effects folder to the step functions. `BATON_INJECT_FAIL_ONCE=<type>[,<type>]` makes the first
 * attempt of those types fail with the retryable `InjectedFault` (the demo's failure: the case
 * resumes at that step, its earlier steps are not run again).
 */
import { StepHandler, type Step, type StepContext } from '@baton/step-sdk';
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

/** `lead.qualify`: the ICP score and whether the lead is qualified. */
@StepHandler('lead.qualify')
export class QualifyStep implements Step<QualifyInput, QualifyOutput> {
  async handle(input: QualifyInput, ctx: StepContext): Promise<QualifyOutput> {
    injectFault(ctx);
    return qualifyLead(input);
  }
}

/** `project.create`: the delivery project, once per case. */
@StepHandler('project.create')
export class ProjectStep implements Step<ProjectInput, ProjectOutput> {
  async handle(input: ProjectInput, ctx: StepContext): Promise<ProjectOutput> {
    injectFault(ctx);
    return createProject(input, ctx.caseId, leadDir());
  }
}

/** `contract.generate`: the contract PDF and its SHA-256. */
@StepHandler('contract.generate')
export class ContractStep implements Step<ContractInput, ContractOutput> {
  async handle(input: ContractInput, ctx: StepContext): Promise<ContractOutput> {
    injectFault(ctx);
    return generateContract(input, ctx.caseId, join(leadDir(), 'contracts'));
  }
}

/** `contract.sign`: the envelope sent for signature, once per case. */
@StepHandler('contract.sign')
export class SignStep implements Step<SignInput, SignOutput> {
  async handle(input: SignInput, ctx: StepContext): Promise<SignOutput> {
    injectFault(ctx);
    return sendForSignature(input, ctx.caseId, leadDir());
  }
}

/** `invoice.create`: the invoice, once per case, in integer minor units. */
@StepHandler('invoice.create')
export class InvoiceStep implements Step<InvoiceInput, InvoiceOutput> {
  async handle(input: InvoiceInput, ctx: StepContext): Promise<InvoiceOutput> {
    injectFault(ctx);
    return createInvoice(input, ctx.caseId, leadDir());
  }
}

/** Every handler class by its step type. */
export const LEAD_HANDLERS = {
  'lead.qualify': QualifyStep, 'project.create': ProjectStep, 'contract.generate': ContractStep, 'contract.sign': SignStep, 'invoice.create': InvoiceStep,
} as const;
