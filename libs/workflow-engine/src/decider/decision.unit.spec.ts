import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';

const T0 = 1_000_000;
const wf = defineWorkflow({
  name: 'decision', version: 1, sla: 'PT1H',
  steps: {
    a: { type: 'x.a', retry: { jitter: 0, initialInterval: 'PT1S', maxAttempts: 3 }, timeout: 'PT10S' },
    b: { type: 'x.b', needs: ['a'], review: { queue: 'q', timeout: 'PT1M' } },
  },
});
const spec = deciderSpec(wf);

describe('the decision says which timers to set and which to cancel', () => {
  it('cancels the attempt timeout of a finished attempt, and sets the next step\'s', async () => {
    const started = await spec.run([cmd.start()]);
    await spec.given(started).when(cmd.completed('a', 1)).then((o) => {
      assert.deepEqual(o.cancelTimers, ['c-1:attempt-timeout:a:1']);
      assert.deepEqual(o.timers.map((t) => t.timerId), ['c-1:attempt-timeout:b:1']);
    });
  });

  it('cancels the review timeout of a decided task, and the SLA when the case ends', async () => {
    const review = await spec.run([cmd.start(), cmd.completed('a', 1), cmd.completed('b', 1)]);
    await spec.given(review).when(cmd.review('c-1:review:b:1', 'approve')).then((o) => {
      assert.deepEqual(typesOf(o.events), ['ReviewDecided', 'CaseCompleted']);
      assert.deepEqual(o.cancelTimers.sort(), ['c-1:review-timeout:b:1', 'c-1:sla']);
      assert.deepEqual(o.timers, []);
    });
  });

  it('cancels the timers of abandoned work when a case is cancelled: a running attempt\'s timeout, a pending retry', async () => {
    const waiting = await spec.run([cmd.start(), cmd.failed('a', 1)]);
    await spec.given(waiting).when(cmd.cancel()).then((o) => {
      assert.ok(o.cancelTimers.includes('c-1:retry:a:2'), o.cancelTimers.join());
      assert.ok(o.cancelTimers.includes('c-1:sla'), o.cancelTimers.join());
    });
    const running = await spec.run([cmd.start()]);
    await spec.given(running).when(cmd.cancel()).then((o) => assert.ok(o.cancelTimers.includes('c-1:attempt-timeout:a:1'), o.cancelTimers.join()));
  });
});

describe('a command that changes nothing says why (ignored)', () => {
  it('names the reason for each kind of no-op', async () => {
    const started = await spec.run([cmd.start()]);
    await spec.given(started).when(cmd.heartbeat('a', 1), { now: T0 + 1000 }).then((o) => assert.equal(o.ignored, 'heartbeat-early'));
    await spec.given(started).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 5000 }).then((o) => assert.equal(o.ignored, 'stale-timer'));
    const done = await spec.run([cmd.start(), cmd.completed('a', 1), cmd.completed('b', 1), cmd.review('c-1:review:b:1', 'approve')]);
    await spec.given(done).when(cmd.review('c-1:review:b:1', 'reject')).then((o) => assert.equal(o.ignored, 'case-ended'));
    await spec.given(done).when(cmd.timer('c-1', 'sla'), { now: T0 + 3_600_000 }).then((o) => assert.equal(o.ignored, 'case-ended'));
    const cancelling = await spec.run([cmd.start(), cmd.completed('a', 1), cmd.cancel()]);
    await spec.given(cancelling).when(cmd.cancel()).then((o) => assert.equal(o.ignored, 'already-cancelled'));
    await spec.given(started).when(cmd.completed('a', 1)).then((o) => assert.equal(o.ignored, undefined));
  });
});

describe('validateInput: an input that cannot be sent fails its attempt inside the decision', () => {
  const refuse = (r: { stepId: string }) => (r.stepId === 'b' ? { name: 'InputSchemaViolation', message: 'b.input.x: expected string, got 1' } : undefined);

  it('records the attempt and its failure, sends nothing, sets no timer for it, and fails the step for good', async () => {
    const started = await spec.run([cmd.start()]);
    await spec.given(started).when(cmd.completed('a', 1), { validateInput: refuse }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled', 'StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      const failed = o.events[2]!;
      assert.equal(failed.type, 'StepAttemptFailed');
      assert.deepEqual(failed.type === 'StepAttemptFailed' && failed.data.error, { name: 'InputSchemaViolation', message: 'b.input.x: expected string, got 1', retryable: false });
      assert.deepEqual(o.requests, []);
      assert.deepEqual(o.timers, []);
      assert.equal(o.after.status, 'failed');
    });
  });

  it('is asked once per dispatch, with whether the step maps its input', async () => {
    const seen: { stepId: string; mapped: boolean }[] = [];
    const mapped = defineWorkflow({ name: 'm', version: 1, steps: { a: { type: 'x.a', input: '{ "n": 1 }' }, b: { type: 'x.b' } } });
    await deciderSpec(mapped).given([]).when(cmd.start(), { validateInput: (r, opt) => { seen.push({ stepId: r.stepId, mapped: opt.mapped }); return undefined; } })
      .then((o) => assert.equal(o.requests.length, 2));
    assert.deepEqual(seen, [{ stepId: 'a', mapped: true }, { stepId: 'b', mapped: false }]);
  });
});

describe('retryAfterMs on a retryable error', () => {
  it('waits the longer of the step\'s retry-after and the policy\'s backoff', async () => {
    const started = await spec.run([cmd.start()]);
    const failed = (retryAfterMs: number) => ({ type: 'StepResultFailed' as const, data: { stepId: 'a', attempt: 1, error: { name: 'RateLimited', message: '429', retryable: true, retryAfterMs } } });
    await spec.given(started).when(failed(30_000)).then((o) => {
      const retry = o.events.find((e) => e.type === 'StepRetryScheduled');
      assert.equal(retry?.type === 'StepRetryScheduled' && retry.data.delayMs, 30_000);
      assert.deepEqual(o.timers.map((t) => [t.timerId, t.dueAt]), [['c-1:retry:a:2', T0 + 30_000]]);
    });
    await spec.given(started).when(failed(10)).then((o) => {
      const retry = o.events.find((e) => e.type === 'StepRetryScheduled');
      assert.equal(retry?.type === 'StepRetryScheduled' && retry.data.delayMs, 1000);
    });
  });
});

describe('timeouts in the dispatch', () => {
  it('carries the step\'s start-to-close timeout for the SDK, and sets the attempt timer at schedule-to-close', async () => {
    const timed = defineWorkflow({ name: 't', version: 1, steps: { a: { type: 'x.a', scheduleToClose: 'PT1M', startToClose: 'PT10S' } } });
    await deciderSpec(timed).given([]).when(cmd.start()).then((o) => {
      assert.equal(o.requests[0]!.startToCloseMs, 10_000);
      assert.equal(o.requests[0]!.deadline, T0 + 60_000);
      assert.deepEqual(o.timers.map((t) => t.dueAt), [T0 + 60_000]);
    });
  });
});

describe('the heartbeat timeout', () => {
  const beating = defineWorkflow({ name: 'hb', version: 1, steps: { a: { type: 'x.a', timeout: 'PT1M', heartbeat: 'PT10S', retry: { jitter: 0, initialInterval: 'PT1S' } } } });
  const hb = deciderSpec(beating);

  it('sets the attempt timer at the heartbeat timeout, and a silent attempt times out there, retryably', async () => {
    await hb.given([]).when(cmd.start()).then((o) => assert.deepEqual(o.timers.map((t) => t.dueAt), [T0 + 10_000]));
    const started = await hb.run([cmd.start()]);
    await hb.given(started).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 10_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepRetryScheduled']);
      const timedOut = o.events[0]!;
      assert.match(timedOut.type === 'StepTimedOut' ? timedOut.data.error.message : '', /sent no heartbeat within its heartbeat timeout of 10000 ms/);
    });
  });

  it('moves the heartbeat due time with each heartbeat past half of it, and the timer with it', async () => {
    const started = await hb.run([cmd.start()]);
    await hb.given(started).when(cmd.heartbeat('a', 1), { now: T0 + 2000 }).then((o) => assert.equal(o.ignored, 'heartbeat-early'));
    await hb.given(started).when(cmd.heartbeat('a', 1), { now: T0 + 6000 }).then((o) => {
      const e = o.events[0]!;
      assert.deepEqual(e.type === 'StepDeadlineExtended' && [e.data.deadline, e.data.heartbeatDueAt], [T0 + 60_000, T0 + 16_000]);
      assert.deepEqual(o.timers.map((t) => t.dueAt), [T0 + 16_000]);
    });
    const beat = await hb.run([cmd.start(), [cmd.heartbeat('a', 1), { now: T0 + 6000 }]]);
    await hb.given(beat).when(cmd.timer('c-1', 'attempt-timeout', 'a', 1), { now: T0 + 10_000 }).then((o) => assert.equal(o.ignored, 'stale-timer'));
  });

  it('refuses a heartbeat timeout shorter than PT2S, naming the field', () => {
    assert.throws(() => defineWorkflow({ name: 'hb', version: 1, steps: { a: { type: 'x.a', heartbeat: 'PT1S' } } }), /heartbeat.*shorter than PT2S/);
  });
});
