import type { BreakerPolicy, CircuitState } from '@baton/event-store';

/** What the admitter knows about a step type's breaker at one moment. Times epoch ms. */
export interface CircuitFacts {
  readonly state: CircuitState;
  readonly changedAt: number;
  /** Failed attempts counted since the later of `now - windowMs` and `changedAt`. */
  readonly failuresInWindow: number;
  /** In half-open: the outcome of the probe attempt, when it is known (undefined while it runs or before one was let through). */
  readonly probe?: 'ok' | 'failed';
}

/** A change of state and why. */
export interface CircuitChange {
  readonly to: CircuitState;
  readonly reason: string;
}

/**
 * The breaker's rules (after the classic closed / open / half-open machine): closed opens when
 * `failures` attempts failed within `windowMs` (counted only since it last changed state, so a
 * closed circuit starts with a clean window); open turns half-open once it has been open for
 * `openMs`, letting exactly one probe attempt through; half-open closes when the probe succeeds
 * and opens again when it fails. Without a policy (the breaker was removed) any state closes.
 * Pure: no clock, no I/O.
 * @returns the change to make, or null when the state stands
 */
export function nextCircuit(facts: CircuitFacts, policy: BreakerPolicy | undefined, now: number): CircuitChange | null {
  if (!policy) return facts.state === 'closed' ? null : { to: 'closed', reason: 'the breaker was removed' };
  switch (facts.state) {
    case 'closed':
      return facts.failuresInWindow >= policy.failures
        ? { to: 'open', reason: `${facts.failuresInWindow} failures within ${policy.windowMs} ms (threshold ${policy.failures})` }
        : null;
    case 'open':
      return now - facts.changedAt >= policy.openMs ? { to: 'half-open', reason: `open for ${policy.openMs} ms: one probe attempt` } : null;
    case 'half-open':
      if (facts.probe === 'ok') return { to: 'closed', reason: 'the probe attempt succeeded' };
      if (facts.probe === 'failed') return { to: 'open', reason: 'the probe attempt failed' };
      return null;
  }
}

/** The gauge value of a state: 0 closed, 1 half-open, 2 open (`baton_circuit_state`). */
export function circuitGaugeValue(state: CircuitState): number {
  return state === 'closed' ? 0 : state === 'half-open' ? 1 : 2;
}
