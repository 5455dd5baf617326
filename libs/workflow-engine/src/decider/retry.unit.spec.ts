import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd, typesOf } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';

const T0 = 1_000_000;

const wf = defineWorkflow({
  name: 'retries', version: 1,
  steps: {
    fetch: {
      type: 'http.fetch', input: '{ "url": case.input.url }', timeout: 'PT10S',
      retry: { maxAttempts: 4, initialInterval: 'PT1S', backoffCoefficient: 3, maxInterval: 'PT5S', jitter: 0.5, nonRetryable: ['NotFound'] },
    },
    use: { type: 'x.use', needs: ['fetch'], input: 'steps.fetch.output' },
  },
});
const spec = deciderSpec(wf);

describe('retrying a failed attempt', () => {
  it('schedules a retry after the backoff delay, with a retry timer, and runs it with the same input', async () => {
    const history = await spec.run([cmd.start('c-1', { url: 'u' })]);
    const failed = await spec.given(history).when(cmd.failed('fetch', 1), { now: T0 + 100 }).then([
      { type: 'StepAttemptFailed', data: { stepId: 'fetch', attempt: 1, error: { name: 'Flaky', message: 'Flaky happened', retryable: true }, failedAt: T0 + 100 } },
      { type: 'StepRetryScheduled', data: { stepId: 'fetch', attempt: 2, delayMs: 1000, dueAt: T0 + 1100 } },
    ]);
    assert.deepEqual(failed.timers, [{ timerId: 'c-1:retry:fetch:2', kind: 'retry', dueAt: T0 + 1100, stepId: 'fetch', attempt: 2 }]);
    assert.equal(failed.after.steps.fetch!.status, 'retry-wait');
    await spec.given([...history, ...failed.events]).when(cmd.timer('c-1', 'retry', 'fetch', 2), { now: T0 + 1100 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepScheduled']);
      assert.deepEqual(o.requests, [{ caseId: 'c-1', stepId: 'fetch', stepType: 'http.fetch', attempt: 2, input: { url: 'u' }, params: {}, deadline: T0 + 11_100, idempotencyKey: 'c-1:fetch' }]);
    });
  });

  it('backs off exponentially and caps the delay at maxInterval', async () => {
    const history = await spec.run([
      cmd.start('c-1', { url: 'u' }), cmd.failed('fetch', 1), cmd.timer('c-1', 'retry', 'fetch', 2), cmd.failed('fetch', 2),
      cmd.timer('c-1', 'retry', 'fetch', 3), cmd.failed('fetch', 3),
    ]);
    const delays = history.filter((e) => e.type === 'StepRetryScheduled').map((e) => (e.data as { delayMs: number }).delayMs);
    assert.deepEqual(delays, [1000, 3000, 5000]);
  });

  it('multiplies the delay by a jitter factor within 1 ± jitter, recorded in the event', async () => {
    const history = await spec.run([cmd.start('c-1', { url: 'u' })]);
    for (const [random, delay] of [[0, 500], [0.25, 750], [0.999, 1499]] as const) {
      await spec.given(history).when(cmd.failed('fetch', 1), { random: () => random }).then((o) => {
        assert.equal((o.events[1]!.data as { delayMs: number }).delayMs, delay);
      });
    }
  });

  it('fails the step for good on a non-retryable error name, without retrying', async () => {
    const history = await spec.run([cmd.start('c-1', { url: 'u' })]);
    await spec.given(history).when(cmd.failed('fetch', 1, 'NotFound', true)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.deepEqual(o.events[1]!.data, { stepId: 'fetch', attempts: 1, error: { name: 'NotFound', message: 'NotFound happened', retryable: true }, failedAt: T0 });
      assert.equal(o.after.status, 'failed');
    });
  });

  it('fails the step for good on an error marked retryable: false', async () => {
    const history = await spec.run([cmd.start('c-1', { url: 'u' })]);
    await spec.given(history).when(cmd.failed('fetch', 1, 'Whatever', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
    });
  });

  it('fails the step when its attempts run out', async () => {
    const history = await spec.run([
      cmd.start('c-1', { url: 'u' }), cmd.failed('fetch', 1), cmd.timer('c-1', 'retry', 'fetch', 2), cmd.failed('fetch', 2),
      cmd.timer('c-1', 'retry', 'fetch', 3), cmd.failed('fetch', 3), cmd.timer('c-1', 'retry', 'fetch', 4),
    ]);
    await spec.given(history).when(cmd.failed('fetch', 4)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.equal((o.events[1]!.data as { attempts: number }).attempts, 4);
      assert.deepEqual(o.after.failure, { stepId: 'fetch', error: { name: 'Flaky', message: 'Flaky happened', retryable: true } });
    });
  });

  it('fails the attempt as an OutputSchemaViolation (non-retryable) when the output breaks its schema', async () => {
    const history = await spec.run([cmd.start('c-1', { url: 'u' })]);
    const validateOutput = (type: string, output: unknown) => (type === 'http.fetch' && !(output as { body?: unknown }).body ? ['body: is required'] : []);
    await spec.given(history).when(cmd.completed('fetch', 1, {}), { validateOutput }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.deepEqual((o.events[0]!.data as { error: unknown }).error, { name: 'OutputSchemaViolation', message: 'body: is required', retryable: false });
    });
  });
});

describe('attempt timeouts, heartbeats and fallbacks', () => {
  const withFallback = defineWorkflow({
    name: 'fb', version: 1,
    steps: {
      reply: { type: 'text.draft', timeout: 'PT30S', retry: { maxAttempts: 2, initialInterval: 'PT1S', jitter: 0 }, fallback: 'template' },
      template: { type: 'text.template', input: '{ "for": case.id }', timeout: 'PT5S' },
      send: { type: 'mail.send', needs: ['reply'], input: 'steps.reply.output' },
    },
  });
  const fspec = deciderSpec(withFallback);

  it('fails an attempt that passes its deadline with the retryable error StepTimeout', async () => {
    const history = await fspec.run([cmd.start()]);
    await fspec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'reply', 1), { now: T0 + 30_000 }).then([
      { type: 'StepTimedOut', data: {
        stepId: 'reply', attempt: 1, deadline: T0 + 30_000, timeout: 'schedule-to-close',
        error: { name: 'StepTimeout', message: "attempt 1 of step 'reply' passed its deadline", retryable: true }, timedOutAt: T0 + 30_000 } },
      { type: 'StepRetryScheduled', data: { stepId: 'reply', attempt: 2, delayMs: 1000, dueAt: T0 + 31_000 } },
    ]);
  });

  it('timeout, retry, timeout again: the fallback runs, and its output stands in for the step', async () => {
    const history = await fspec.run([
      cmd.start(), [cmd.timer('c-1', 'attempt-timeout', 'reply', 1), { now: T0 + 30_000 }],
      [cmd.timer('c-1', 'retry', 'reply', 2), { now: T0 + 31_000 }],
    ]);
    const fell = await fspec.given(history).when(cmd.timer('c-1', 'attempt-timeout', 'reply', 2), { now: T0 + 61_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepFailed', 'FallbackStarted', 'StepScheduled']);
      assert.deepEqual(o.events[2]!.data, { stepId: 'reply', fallbackStepId: 'template', at: T0 + 61_000 });
      assert.deepEqual(o.requests.map((r) => [r.stepId, r.stepType, r.attempt, r.input]), [['template', 'text.template', 1, { for: 'c-1' }]]);
      assert.equal((o.events[3]!.data as { fallbackFor?: string }).fallbackFor, 'reply');
      assert.equal(o.after.steps.reply!.status, 'fallen-back');
    });
    const all = [...history, ...fell.events];
    const sent = await fspec.given(all).when(cmd.completed('template', 1, { text: 'canned' })).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepCompleted', 'StepScheduled']);
      assert.deepEqual(o.requests[0]!.input, { text: 'canned' });
    });
    await fspec.given([...all, ...sent.events]).when(cmd.completed('send', 1, 'sent')).then((o) => {
      assert.deepEqual(o.events[1], { type: 'CaseCompleted', data: { output: { reply: { text: 'canned' }, send: 'sent' }, completedAt: T0 } });
    });
  });

  it('fails the case when the fallback fails too', async () => {
    const history = await fspec.run([cmd.start(), cmd.failed('reply', 1, 'Bad', false)]);
    await fspec.given(history).when(cmd.failed('template', 1, 'AlsoBad', false)).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepAttemptFailed', 'StepFailed', 'CompensationStarted', 'CaseFailed']);
      assert.equal((o.events[3]!.data as { stepId: string }).stepId, 'template');
    });
  });

  it('a heartbeat pushes the deadline forward by the step timeout and moves the timer', async () => {
    const history = await fspec.run([cmd.start()]);
    const beat = await fspec.given(history).when(cmd.heartbeat('reply', 1), { now: T0 + 20_000 }).then([
      { type: 'StepDeadlineExtended', data: { stepId: 'reply', attempt: 1, deadline: T0 + 50_000, at: T0 + 20_000 } },
    ]);
    assert.deepEqual(beat.timers, [{ timerId: 'c-1:attempt-timeout:reply:1', kind: 'attempt-timeout', dueAt: T0 + 50_000, stepId: 'reply', attempt: 1 }]);
    const all = [...history, ...beat.events];
    await fspec.given(all).when(cmd.timer('c-1', 'attempt-timeout', 'reply', 1), { now: T0 + 30_000 }).then([]);
    await fspec.given(all).when(cmd.heartbeat('reply', 1), { now: T0 + 20_000 }).then([]);
    await fspec.given(all).when(cmd.heartbeat('reply', 7), { now: T0 + 25_000 }).then([]);
    await fspec.given(all).when(cmd.timer('c-1', 'attempt-timeout', 'reply', 1), { now: T0 + 50_000 }).then((o) => {
      assert.deepEqual(typesOf(o.events), ['StepTimedOut', 'StepRetryScheduled']);
    });
  });

  it('a heartbeat early in the attempt records nothing: the deadline moves only once half the timeout is used', async () => {
    const history = await fspec.run([cmd.start()]);
    const early = await fspec.given(history).when(cmd.heartbeat('reply', 1), { now: T0 + 5_000 }).then([]);
    assert.deepEqual(early.timers, []);
    await fspec.given(history).when(cmd.heartbeat('reply', 1), { now: T0 + 15_000 }).then([
      { type: 'StepDeadlineExtended', data: { stepId: 'reply', attempt: 1, deadline: T0 + 45_000, at: T0 + 15_000 } },
    ]);
  });
});
