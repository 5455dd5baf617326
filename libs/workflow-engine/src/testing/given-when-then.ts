import assert from 'node:assert/strict';
import type { CaseCommand } from '../commands';
import type { WorkflowDefinition } from '../definition/types';
import type { CaseEvent } from '../events';
import { decide } from '../decider/decide';
import type { DecideContext, Decision } from '../decider/decision';
import { evolve } from '../decider/evolve';
import { foldEvents } from '../decider/fold';
import type { CaseState } from '../decider/state';

/** What a `then` predicate sees: the decision, and the state before and after it. */
export interface Outcome extends Decision {
  readonly before: CaseState;
  readonly after: CaseState;
}

type At = Partial<Pick<DecideContext, 'now' | 'random' | 'validateOutput' | 'validateInput' | 'childCaseId' | 'validateChild'>>;

/**
 * Emmett-style decider specifications using only the engine:
 * `spec.given(events).when(command, { now }).then(expectedEvents | (outcome) => void)`,
 * `.thenThrows(ErrorClass, /message/)`; `spec.run([command, ...])` replays commands into a history.
 * Defaults: now = 1_000_000 ms, random = 0.5 (jitter factor exactly 1).
 */
export function deciderSpec(workflow: WorkflowDefinition, defaults: At = {}) {
  const ctx = (at: At): DecideContext => ({ workflow, now: 1_000_000, random: () => 0.5, ...defaults, ...at });
  return {
    given(events: readonly CaseEvent[] = []) {
      return {
        when(command: CaseCommand, at: At = {}) {
          const run = async (): Promise<Outcome> => {
            const before = foldEvents(events);
            const decision = await decide(command, before, ctx(at));
            return { ...decision, before, after: decision.events.reduce(evolve, before) };
          };
          return {
            async then(expected: readonly CaseEvent[] | ((outcome: Outcome) => void | Promise<void>)): Promise<Outcome> {
              const outcome = await run();
              if (typeof expected === 'function') await expected(outcome);
              else assert.deepStrictEqual(outcome.events, expected);
              return outcome;
            },
            async thenThrows(errorClass: new (...args: never[]) => Error, message?: RegExp): Promise<Error> {
              const error = await run().then(
                () => assert.fail(`expected ${errorClass.name}, but the command succeeded`),
                (e: unknown) => e as Error,
              );
              assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
              if (message) assert.match(error.message, message);
              return error;
            },
          };
        },
      };
    },
    /** Runs commands one after another from an empty case; returns every event they caused. */
    async run(commands: readonly (CaseCommand | [CaseCommand, At])[]): Promise<CaseEvent[]> {
      const events: CaseEvent[] = [];
      for (const item of commands) {
        const [command, at] = Array.isArray(item) ? item : [item, {}];
        const decision = await decide(command as CaseCommand, foldEvents(events), ctx(at as At));
        events.push(...decision.events);
      }
      return events;
    },
  };
}
