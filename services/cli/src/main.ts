import { DefinitionError } from '@baton/workflow-engine';
import { ApiClient, CliError, ProblemResponse } from './api-client';
import { createProgram } from './program';
import { credentialHeaders } from './credentials';
import { problemLines } from './render/problem-lines';
import { styleFor } from './render/style';

/** Runs one `baton` command; prints failures one line per problem on stderr and exits 1. */
async function main(argv: string[]): Promise<void> {
  const api = new ApiClient(process.env.BATON_URL ?? 'http://127.0.0.1:3000', fetch, () => credentialHeaders());
  const columns = process.stdout.columns ?? 120;
  const program = createProgram(api, {
    out: (text) => process.stdout.write(text),
    style: styleFor(process.stdout),
    barWidth: Math.max(20, Math.min(60, columns - 80)),
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    for (const line of errorLines(error)) process.stderr.write(`${line}\n`);
    process.exitCode = 1;
  }
}

function errorLines(error: unknown): string[] {
  if (error instanceof ProblemResponse && error.problem.status === 401) return [...problemLines(error.problem), 'hint: set BATON_TOKEN (or BATON_API_KEY), or run `baton login --dev` against the local stack'];
  if (error instanceof ProblemResponse) return problemLines(error.problem);
  if (error instanceof DefinitionError) return error.issues.map((i) => (i.step !== undefined ? `steps.${i.step}.${i.field}: ${i.message}` : `${i.field}: ${i.message}`));
  if (error instanceof CliError) return [`error: ${error.message}`];
  return [`error: ${(error as Error)?.stack ?? String(error)}`];
}

void main(process.argv);
