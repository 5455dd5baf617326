import type { ProblemDetails } from '../api-types';

/**
 * A problem as the terminal shows it: one line per invalid field (`field: message`, with the
 * step of a definition issue), or one line `title: detail` when no field is named.
 */
export function problemLines(problem: ProblemDetails): string[] {
  if (problem.errors && problem.errors.length > 0) return problem.errors.map((e) => `${e.field}: ${e.message}`);
  return [`${problem.title}: ${problem.detail}`];
}
