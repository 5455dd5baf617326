import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Wire } from '@baton/contracts';
import { AttemptContext, type AttemptContextDeps } from './attempt-context';
import { createStepLogger } from './step-logger';

function contextAt(clock: { now: number }, overrides: Partial<Wire.StepRequest> = {}, deps: Partial<AttemptContextDeps> = {}) {
  const sent: unknown[] = [];
  const request: Wire.StepRequest = {
    requestId: 'c:s:1', caseId: 'c', workflow: 'w', workflowVersion: 1, stepId: 's', stepType: 'noop', attempt: 1,
    input: Buffer.alloc(0), params: '{}', deadline: 10_000, startToCloseMs: null, idempotencyKey: 'c:s', ...overrides,
  };
  const ctx = new AttemptContext({
    request, params: {}, traceContext: ROOT_CONTEXT, logger: createStepLogger({}), timeoutMs: 10_000, heartbeatIntervalMs: 1000,
    sendHeartbeat: async (d) => { sent.push(d); }, onMetering: () => undefined, now: () => clock.now, ...deps,
  });
  return { ctx, sent };
}

describe('AttemptContext', () => {
  it('sends at most one heartbeat per interval and pushes the deadline to now + the step timeout', async () => {
    const clock = { now: 1000 };
    const { ctx, sent } = contextAt(clock);
    assert.equal(ctx.remainingMs(), 9000);
    await ctx.heartbeat({ p: 1 });
    clock.now = 1500;
    await ctx.heartbeat({ p: 2 });
    clock.now = 2000;
    await ctx.heartbeat({ p: 3 });
    assert.deepEqual(sent, [{ p: 1 }, { p: 3 }]);
    assert.equal(ctx.deadline, 12_000);
  });

  it('keeps the deadline of a compensation, which the orchestrator does not extend', async () => {
    const clock = { now: 5000 };
    const { ctx, sent } = contextAt(clock, { stepId: 'compensate:s' });
    await ctx.heartbeat();
    assert.equal(ctx.isCompensation, true);
    assert.equal(sent.length, 1);
    assert.equal(ctx.deadline, 10_000);
  });

  it('keeps the deadline when a heartbeat could not be sent, and does not throw', async () => {
    const clock = { now: 5000 };
    const { ctx } = contextAt(clock, {}, { sendHeartbeat: async () => { throw new Error('broker down'); } });
    await ctx.heartbeat();
    assert.equal(ctx.deadline, 10_000);
  });

  it('drops heartbeats and stops summing metering once the attempt ended, and aborts its signal when given up', async () => {
    const clock = { now: 0 };
    const { ctx, sent } = contextAt(clock);
    ctx.reportMetering({ model: 'm', inputTokens: 1, outputTokens: 1, costUsd: 0.1 });
    ctx.giveUp();
    ctx.reportMetering({ model: 'm', inputTokens: 5, outputTokens: 5, costUsd: 1 });
    await ctx.heartbeat();
    assert.equal(sent.length, 0);
    assert.equal(ctx.metering()?.inputTokens, 1);
    assert.equal(ctx.signal.aborted, true);
  });
});
