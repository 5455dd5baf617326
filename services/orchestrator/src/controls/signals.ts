import { randomUUID } from 'node:crypto';
import { ContractNames } from '@baton/contracts';
import { stepContract } from '@baton/contracts';
import type { SeenRequest } from '@baton/step-testing';
import type { World } from '../testing/harness';

/** Sends a `PauseCase`, `ResumeCase` or `ResetCase` signal for `caseId` on the world's signals topic, as the gateway does. */
export async function sendControl(world: World, caseId: string, control: 'pause' | 'resume' | { reset: string }, reason?: string): Promise<void> {
  const common = { signalId: randomUUID(), caseId, requestedBy: 'ops', principal: null, requestedAt: Date.now() };
  const [name, value] = control === 'pause' ? [ContractNames.PauseCase, { ...common, reason: reason ?? null }]
    : control === 'resume' ? [ContractNames.ResumeCase, common]
      : [ContractNames.ResetCase, { ...common, stepId: control.reset, reason: reason ?? null }];
  await world.producer.send([{ topic: world.topics.signals, key: caseId, value: world.catalog.encode(name, value) }]);
}

/** Answers a step request the test held back: a `StepCompleted` with output `{ ok: true }` (the `noop` output record), as a step consumer sends it. */
export async function sendCompleted(world: World, r: SeenRequest): Promise<void> {
  const output = world.catalog.encode(stepContract(world.catalog, r.stepType).outputName, { ok: true });
  const value = world.catalog.encode(ContractNames.StepCompleted, {
    resultId: randomUUID(), caseId: r.caseId, stepId: r.stepId, stepType: r.stepType, attempt: r.attempt,
    startedAt: r.at, finishedAt: Date.now(), worker: 'test', output, metering: null,
  });
  await world.producer.send([{ topic: world.topics.stepResults, key: r.caseId, value }]);
}
