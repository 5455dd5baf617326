import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNonRetryable, type MeteringReport, type StepContext } from '@baton/step-sdk';
import { defaultClassifier } from '../classify/classify-text';
import { TEMPLATE_MODEL } from '../draft/template-drafter';
import { noop } from '../noop/noop';
import { notify } from '../notify/notify';
import { parseEmail } from '../parse/parse-email';
import { classifyWithMetering, draftWithMetering } from './handlers';

/** A StepContext as the SDK builds it, recording metering reports. */
function context(over: Partial<StepContext> = {}): StepContext & { metering: MeteringReport[] } {
  const metering: MeteringReport[] = [];
  const noop = () => undefined;
  return {
    caseId: 'case-1', stepId: 'step', stepType: 'noop', attempt: 1, workflow: 'inbox-triage', workflowVersion: 1, requestId: 'case-1:step:1',
    idempotencyKey: 'case-1:step', params: {}, deadline: Date.now() + 30_000, remainingMs: () => 30_000, signal: new AbortController().signal,
    isCompensation: false, logger: { debug: noop, info: noop, warn: noop, error: noop }, traceContext: undefined as never,
    heartbeat: async () => undefined, reportMetering: (m) => { metering.push(m); }, metering, ...over,
  };
}

test('text.classify reports the model and its version as metering, with no tokens and no cost', async () => {
  const ctx = context();
  const out = await classifyWithMetering(defaultClassifier())({ subject: 'WIN $$$ NOW!!!', text: 'Claim your prize at http://x.example' }, ctx);
  assert.equal(out.model, 'natural-bayes');
  assert.deepEqual(ctx.metering, [{ model: 'natural-bayes', modelVersion: defaultClassifier().version, inputTokens: 0, outputTokens: 0, costUsd: 0 }]);
});

test('text.draft reports the drafter\'s model, tokens and cost; drafter: template in params forces the local drafter', async () => {
  const saved = process.env.BATON_LLM_URL;
  process.env.BATON_LLM_URL = 'http://127.0.0.1:9'; // would fail: the params must keep it out of the way
  try {
    const ctx = context({ params: { drafter: 'template' } });
    const out = await draftWithMetering({
      subject: 'Order 7', from: 'Ann <ann@example.com>', text: 'Where is my order?',
      entities: { people: [], organizations: [], dates: [], money: [] }, sentiment: { score: 0, comparative: 0, label: 'neutral' },
    }, ctx);
    assert.equal(out.model, TEMPLATE_MODEL);
    assert.deepEqual(ctx.metering, [{ model: TEMPLATE_MODEL, inputTokens: out.inputTokens, outputTokens: out.outputTokens, costUsd: 0 }]);
  } finally {
    if (saved === undefined) delete process.env.BATON_LLM_URL; else process.env.BATON_LLM_URL = saved;
  }
});

test('a malformed email and a malformed outcome are the SDK\'s non-retryable errors; steps without a model report no metering', async () => {
  const ctx = context();
  await assert.rejects(parseEmail({ raw: 'not an email' }, ctx), (e: unknown) => isNonRetryable(e) && (e as Error).name === 'MalformedEmail');
  await assert.rejects(notify({ caseId: 'c', outcome: '[1]' }, ctx), (e: unknown) => isNonRetryable(e) && (e as Error).name === 'MalformedOutcome');
  assert.deepEqual(await noop({ n: 1 }, ctx), { ok: true });
  assert.deepEqual(ctx.metering, []);
});
