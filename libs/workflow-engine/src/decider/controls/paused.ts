import type { CaseState } from '../state';

/** True while an operator (or the budget) holds the case: nothing new starts. */
export function isPaused(state: CaseState): boolean {
  return state.controls.paused !== null;
}

/** Who an operator command is recorded as: the authenticated principal, else the caller's `requestedBy`, else `operator`. @internal */
export function actor(data: { readonly requestedBy?: string; readonly principal?: string }): string {
  return data.principal ?? data.requestedBy ?? 'operator';
}
