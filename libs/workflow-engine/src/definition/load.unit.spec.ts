import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DefinitionError } from './definition-error';
import { defineWorkflow, loadDefinition } from './load';
import type { WorkflowDefinitionInput } from './types';

const triage = `
name: inbox-triage
version: 1
input: baton.examples.InboxMessage
sla: PT2M
steps:
  parse:
    type: email.parse
    input: "{ 'raw': case.input.raw }"
    retry: { maxAttempts: 5, initialInterval: PT1S, backoffCoefficient: 2, maxInterval: PT1M, jitter: 0.2, nonRetryable: [MalformedEmail] }
    timeout: PT30S
  classify:
    type: text.classify
    needs: [parse]
    with: { model: fast }
    review: { when: "output.confidence < 0.8", queue: triage, timeout: PT4H, onTimeout: escalate }
  reply:
    type: text.draft
    needs: [classify]
    fallback: reply-template
    compensate: reply.withdraw
  reply-template:
    type: text.template
`;

function refused(build: () => unknown): DefinitionError {
  try {
    build();
  } catch (e) {
    assert.ok(e instanceof DefinitionError, `expected a DefinitionError, got ${String(e)}`);
    return e;
  }
  return assert.fail('the definition was accepted');
}

function withSteps(steps: Record<string, unknown>, extra: Record<string, unknown> = {}): WorkflowDefinitionInput {
  return { name: 'wf', version: 1, ...extra, steps } as WorkflowDefinitionInput;
}

describe('loading a workflow definition', () => {
  it('reads the timeouts by their Temporal names: scheduleToClose (or timeout) and startToClose, no longer than it', () => {
    const wf = defineWorkflow(withSteps({ a: { type: 'x.a', scheduleToClose: 'PT1M', startToClose: 'PT20S' }, b: { type: 'x.b', timeout: 'PT30S' } }));
    assert.deepEqual([wf.steps.a!.timeoutMs, wf.steps.a!.startToCloseMs], [60_000, 20_000]);
    assert.deepEqual([wf.steps.b!.timeoutMs, wf.steps.b!.startToCloseMs], [30_000, undefined]);
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 'x.a', timeout: 'PT10S', startToClose: 'PT20S' } })));
    assert.match(e.message, /startToClose.*20000 ms.*longer than the schedule-to-close timeout timeout \(10000 ms\)/);
  });

  it('compiles the PRODUCT.md example, with durations in ms and defaults applied', () => {
    const wf = loadDefinition(triage);
    assert.equal(wf.name, 'inbox-triage');
    assert.equal(wf.slaMs, 120_000);
    assert.deepEqual(wf.stepOrder, ['parse', 'classify', 'reply', 'reply-template']);
    assert.deepEqual(wf.steps.parse!.retry, {
      maxAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 60_000, jitter: 0.2, nonRetryable: ['MalformedEmail'],
    });
    assert.equal(wf.steps.parse!.timeoutMs, 30_000);
    assert.deepEqual(wf.steps.classify!.retry, {
      maxAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 60_000, jitter: 0.2, nonRetryable: [],
    });
    assert.equal(wf.steps.classify!.timeoutMs, 300_000);
    assert.deepEqual(wf.steps.classify!.params, { model: 'fast' });
    assert.equal(wf.steps.classify!.review!.timeoutMs, 4 * 3_600_000);
    assert.equal(wf.steps.classify!.review!.when!.source, 'output.confidence < 0.8');
    assert.equal(wf.steps['reply-template']!.fallbackFor, 'reply');
    assert.equal(wf.steps.reply!.fallbackFor, undefined);
  });

  it('builds the same model from TypeScript with defineWorkflow', () => {
    const wf = defineWorkflow({ name: 'ts', version: 2, steps: { a: { type: 'x.a' }, b: { type: 'x.b', needs: ['a'], when: 'true' } } });
    assert.equal(wf.version, 2);
    assert.deepEqual(wf.steps.b!.needs, ['a']);
    assert.equal(wf.steps.b!.review, undefined);
    assert.equal(wf.steps.a!.input, undefined);
  });

  it('returns a deeply frozen definition', () => {
    const wf = loadDefinition(triage);
    assert.ok(Object.isFrozen(wf) && Object.isFrozen(wf.steps) && Object.isFrozen(wf.steps.parse!.retry));
    assert.throws(() => { (wf.steps.parse!.needs as string[]).push('x'); }, TypeError);
  });

  it('compiles each JSONata expression once, into an evaluator that reads the given clock', async () => {
    const wf = defineWorkflow(withSteps({ a: { type: 't', input: '{ "at": $millis(), "x": case.input.x }' } }));
    assert.deepEqual(await wf.steps.a!.input!.evaluate({ case: { input: { x: 1 } } }, 42), { at: 42, x: 1 });
  });
});

describe('refusing a workflow definition', () => {
  it('names the step and field of a missing required field', () => {
    const e = refused(() => defineWorkflow(withSteps({ parse: { needs: [] } })));
    assert.deepEqual(e.issues, [{ step: 'parse', field: 'type', message: 'is required' }]);
    assert.match(e.message, /step 'parse': field 'type' is required/);
  });

  it('names a missing workflow-level field', () => {
    const e = refused(() => defineWorkflow({ name: 'wf', steps: { a: { type: 't' } } } as unknown as WorkflowDefinitionInput));
    assert.match(e.message, /field 'version' is required/);
  });

  it('reports every schema problem at once', () => {
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 't', retry: { maxAttempts: 0, jitter: 2 }, colour: 'red' } })));
    assert.deepEqual(e.issues.map((i) => `${i.step}:${i.field}`).sort(), ['a:colour', 'a:retry.jitter', 'a:retry.maxAttempts']);
    assert.match(e.message, /step 'a': field 'colour' is not a known field/);
  });

  it('names a needs entry that is an unknown step', () => {
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 't' }, b: { type: 't', needs: ['a', 'ghost'] } })));
    assert.deepEqual(e.issues, [{ step: 'b', field: 'needs', message: "names unknown step 'ghost'" }]);
  });

  it("names a fallback that is an unknown step: step 'reply': field 'fallback' names unknown step 'nope'", () => {
    const e = refused(() => defineWorkflow(withSteps({ reply: { type: 't', fallback: 'nope' } })));
    assert.match(e.message, /step 'reply': field 'fallback' names unknown step 'nope'/);
  });

  it('refuses a step that falls back to itself', () => {
    const e = refused(() => defineWorkflow(withSteps({ reply: { type: 't', fallback: 'reply' } })));
    assert.match(e.message, /step 'reply': field 'fallback' names the step itself/);
  });

  it('refuses a chain of fallbacks that comes back to its start', () => {
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 't', fallback: 'b' }, b: { type: 't', fallback: 'a' } })));
    assert.ok(e.issues.some((i) => i.step === 'a' && i.field === 'fallback' && /forms a cycle: a -> b -> a/.test(i.message)), e.message);
  });

  it('names the steps on a needs cycle', () => {
    const e = refused(() => defineWorkflow(withSteps({
      start: { type: 't' },
      a: { type: 't', needs: ['start', 'c'] },
      b: { type: 't', needs: ['a'] },
      c: { type: 't', needs: ['b'] },
    })));
    assert.equal(e.issues.length, 1);
    assert.equal(e.issues[0]!.step, 'a');
    assert.equal(e.issues[0]!.field, 'needs');
    assert.match(e.message, /step 'a': field 'needs' forms a cycle: a -> c -> b -> a/);
  });

  it('gives the JSONata error of an expression that does not parse, naming the step and field', () => {
    const e = refused(() => defineWorkflow(withSteps({
      a: { type: 't', when: 'steps.x.output = ' },
      b: { type: 't', input: '{ "a": }' },
      c: { type: 't', review: { when: 'output.confidence <' } },
    })));
    assert.deepEqual(e.issues.map((i) => `${i.step}:${i.field}`), ['a:when', 'b:input', 'c:review.when']);
    assert.match(e.message, /step 'a': field 'when' is not a valid JSONata expression: .+ \(at position \d+\)/);
  });

  it('refuses a bad duration, naming the field', () => {
    const e = refused(() => defineWorkflow(withSteps(
      { a: { type: 't', timeout: '30 seconds', retry: { initialInterval: 'P1M' } }, b: { type: 't', review: { timeout: 'PT0S' } } },
      { sla: 'soon' },
    )));
    assert.deepEqual(e.issues.map((i) => `${i.step ?? ''}:${i.field}`).sort(), [':sla', 'a:retry.initialInterval', 'a:timeout', 'b:review.timeout']);
    assert.match(e.message, /step 'a': field 'timeout' is not a valid duration: '30 seconds' is not a valid ISO-8601 duration/);
    assert.match(e.message, /field 'sla' is not a valid duration/);
  });

  it('refuses a maxInterval shorter than the initial interval', () => {
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 't', retry: { initialInterval: 'PT10S', maxInterval: 'PT1S' } } })));
    assert.match(e.message, /step 'a': field 'retry.maxInterval'/);
  });

  it('refuses a step that needs a fallback-only step, and needs or when on a fallback-only step', () => {
    const e = refused(() => defineWorkflow(withSteps({
      a: { type: 't', fallback: 'fb' }, fb: { type: 't', needs: ['a'], when: 'true' }, c: { type: 't', needs: ['fb'] },
    })));
    const fields = e.issues.map((i) => `${i.step}:${i.field}`);
    assert.ok(fields.includes('fb:needs') && fields.includes('fb:when') && fields.includes('c:needs'), e.message);
    assert.match(e.message, /step 'c': field 'needs' names fallback-only step 'fb'/);
  });

  it('refuses two steps that share one fallback', () => {
    const e = refused(() => defineWorkflow(withSteps({ a: { type: 't', fallback: 'fb' }, b: { type: 't', fallback: 'fb' }, fb: { type: 't' } })));
    assert.match(e.message, /step 'b': field 'fallback' names 'fb', which is already the fallback of 'a'/);
  });

  it('refuses YAML that does not parse', () => {
    const e = refused(() => loadDefinition('name: [unclosed\nsteps: {'));
    assert.equal(e.issues[0]!.field, '(yaml)');
  });

  it('refuses a step id that cannot be a name', () => {
    const e = refused(() => defineWorkflow(withSteps({ 'has space': { type: 't' } })));
    assert.match(e.message, /field 'steps' has a step id 'has space'/);
  });
});
