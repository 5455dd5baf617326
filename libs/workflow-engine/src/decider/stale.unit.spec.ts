import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineWorkflow } from '../definition/load';
import { cmd } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';

const T0 = 1_000_000;
const wf = defineWorkflow({
  name: 'stale', version: 1,
  steps: { a: { type: 'x.a', retry: { jitter: 0 }, timeout: 'PT10S' }, b: { type: 'x.b', needs: ['a'] } },
});
const spec = deciderSpec(wf);

describe('late and repeated messages change nothing', () => {
  it('ignores a result for an older attempt', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('a', 1), cmd.timer('c-1', 'retry', 'a', 2)]);
    await spec.given(history).when(cmd.completed('a', 1)).then([]);
    await spec.given(history).when(cmd.failed('a', 1)).then([]);
  });

  it('says why it dropped a result: a stale attempt, or a case that has ended', async () => {
    const retried = await spec.run([cmd.start(), cmd.failed('a', 1), cmd.timer('c-1', 'retry', 'a', 2)]);
    await spec.given(retried).when(cmd.completed('a', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    await spec.given(retried).when(cmd.failed('a', 1)).then((o) => assert.equal(o.ignored, 'stale-attempt'));
    const cancelled = await spec.run([cmd.start(), cmd.cancel()]);
    await spec.given(cancelled).when(cmd.completed('a', 1)).then((o) => assert.equal(o.ignored, 'case-ended'));
    await spec.given(retried).when(cmd.completed('a', 2)).then((o) => assert.equal(o.ignored, undefined));
  });

  it('ignores a result for an attempt that was never dispatched', async () => {
    const history = await spec.run([cmd.start()]);
    await spec.given(history).when(cmd.completed('a', 2)).then([]);
    await spec.given(history).when(cmd.completed('b', 1)).then([]);
  });

  it('ignores a redelivered result of a finished step', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('a', 1)]);
    await spec.given(history).when(cmd.completed('a', 1)).then([]);
    await spec.given(history).when(cmd.failed('a', 1)).then([]);
  });

  it('ignores a result during a retry wait, and a redelivered retry timer', async () => {
    const waiting = await spec.run([cmd.start(), cmd.failed('a', 1)]);
    await spec.given(waiting).when(cmd.failed('a', 1)).then([]);
    const retried = await spec.run([cmd.start(), cmd.failed('a', 1), cmd.timer('c-1', 'retry', 'a', 2)]);
    await spec.given(retried).when(cmd.timer('c-1', 'retry', 'a', 2)).then([]);
  });

  it('ignores the timeout timer of a finished attempt, and one that fires before the deadline', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('a', 1)]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 10_000 }).then([]);
    const running = await spec.run([cmd.start()]);
    await spec.given(running).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 9_999 }).then([]);
  });

  it('ignores everything but operator commands once the case has ended', async () => {
    const history = await spec.run([cmd.start(), cmd.failed('a', 1, 'X', false)]);
    await spec.given(history).when(cmd.completed('a', 1)).then([]);
    await spec.given(history).when(cmd.heartbeat('a', 1)).then([]);
    await spec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 60_000 }).then([]);
    await spec.given(history).when(cmd.timer('c-1', 'sla')).then([]);
  });
});
