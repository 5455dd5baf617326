/**
 * `noop`: does nothing, for benchmarks of the orchestration itself.
 */
import { type StepContext } from '../context';

/** Input of `noop`. */
export interface NoopInput {
  readonly n: number | null;
}

/** Output of `noop`. */
export interface NoopOutput {
  readonly ok: true;
}

/** Returns `{ ok: true }`. */
export async function noop(_input: NoopInput, _ctx?: StepContext): Promise<NoopOutput> {
  return { ok: true };
}
