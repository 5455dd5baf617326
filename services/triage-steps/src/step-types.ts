/** The step types of the inbox-triage example, in workflow order (then the compensation and `noop`). */
export const TRIAGE_STEP_TYPES = Object.freeze([
  'email.parse',
  'text.classify',
  'mail.quarantine',
  'text.entities',
  'text.sentiment',
  'text.draft',
  'notify',
  'reply.withdraw',
  'noop',
] as const);

/** A step type of the inbox-triage example. */
export type TriageStepType = (typeof TRIAGE_STEP_TYPES)[number];

/** Thrown when a list of step types names one this service does not have. */
export class UnknownTriageStepType extends Error {
  constructor(readonly variable: string, readonly unknown: readonly string[]) {
    super(`${variable} names step type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${t}'`).join(', ')} that this service does not have; known: ${TRIAGE_STEP_TYPES.join(', ')}`);
    this.name = 'UnknownTriageStepType';
  }
}

/**
 * The step types a process serves, from a comma-separated list (`BATON_STEP_TYPES`): every type
 * when the list is absent, empty or `*`; duplicates dropped, order kept.
 * @throws UnknownTriageStepType naming every unknown entry
 */
export function parseStepTypes(value: string | undefined, variable = 'BATON_STEP_TYPES'): TriageStepType[] {
  const entries = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0 || (entries.length === 1 && entries[0] === '*')) return [...TRIAGE_STEP_TYPES];
  const unknown = entries.filter((t) => !(TRIAGE_STEP_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw new UnknownTriageStepType(variable, unknown);
  return [...new Set(entries as TriageStepType[])];
}
