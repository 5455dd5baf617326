/**
 * `lead.qualify`: an ideal-customer-profile score from 0 to 100. Industry fit 40, head count up to
 * 30 (50..1 000 is the sweet spot), deal size up to 20 (10 000.00 and above), served country 10.
 * A lead scoring at least {@link QUALIFY_THRESHOLD} is qualified.
 */
import { INDUSTRIES } from './leads';

/** The step's input record (contracts/steps/lead.qualify/input.avsc). */
export interface QualifyInput { leadId: string; industry: string; employees: number; country: string; dealAmountMinor: number; currency: string }
/** The step's output record. */
export interface QualifyOutput { score: number; qualified: boolean; reasons: string[] }

/** The least score of a qualified lead. */
export const QUALIFY_THRESHOLD = 60;

const FIT_INDUSTRIES: readonly string[] = INDUSTRIES.slice(0, 4);
const SERVED = new Set(['DE', 'FR', 'GB', 'US', 'NL']);

/** Scores a lead; pure. */
export function qualifyLead(input: QualifyInput): QualifyOutput {
  const reasons: string[] = [];
  let score = 0;
  if (FIT_INDUSTRIES.includes(input.industry)) { score += 40; reasons.push(`industry ${input.industry} fits (+40)`); }
  else reasons.push(`industry ${input.industry} is outside the profile (+0)`);
  const size = input.employees >= 50 && input.employees <= 1000 ? 30 : input.employees >= 20 ? 15 : 0;
  score += size;
  reasons.push(`${input.employees} employees (+${size})`);
  const deal = input.dealAmountMinor >= 1_000_000 ? 20 : input.dealAmountMinor >= 500_000 ? 10 : 0;
  score += deal;
  reasons.push(`deal of ${input.dealAmountMinor} minor units of ${input.currency} (+${deal})`);
  if (SERVED.has(input.country)) { score += 10; reasons.push(`country ${input.country} is served (+10)`); }
  return { score, qualified: score >= QUALIFY_THRESHOLD, reasons };
}
