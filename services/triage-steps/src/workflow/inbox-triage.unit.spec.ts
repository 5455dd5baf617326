import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AvroType } from '@baton/avro';
import { loadContracts, stepContract } from '@baton/contracts';
import {
  decide, evolve, initialState, type CaseCommand, type CaseEvent, type CaseState, type StepDispatch, type WorkflowDefinition,
} from '@baton/workflow-engine';
import { classifyText, defaultClassifier, type ClassifyOutput } from '../classify/classify-text';
import { heldOutCorpus, type CorpusEmail } from '../corpus/corpus';
import { draftReply } from '../draft/draft-reply';
import { TEMPLATE_MODEL } from '../draft/template-drafter';
import { textEntities } from '../entities/extract-entities';
import { parseEmail, type ParsedEmail } from '../parse/parse-email';
import { textSentiment } from '../sentiment/sentiment';
import { TRIAGE_STEP_HANDLERS } from '../service/handlers';
import { TRIAGE_STEP_TYPES } from '../step-types';
import { loadInboxTriage } from './inbox-triage';

const catalog = loadContracts();
const NOW = Date.parse('2026-01-05T09:00:00Z');

/** Field paths of `value` that the record type `type` (or a record nested in it) does not declare. */
function undeclaredFields(type: AvroType, value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const t = type as AvroType & { fields?: { name: string; type: AvroType }[]; itemsType?: AvroType; types?: AvroType[] };
  if (t.fields) {
    const names = new Set(t.fields.map((f) => f.name));
    return [
      ...Object.keys(value).filter((k) => !names.has(k)).map((k) => `${path}${k}`),
      ...t.fields.flatMap((f) => undeclaredFields(f.type, (value as Record<string, unknown>)[f.name], `${path}${f.name}.`)),
    ];
  }
  if (t.itemsType && Array.isArray(value)) return value.flatMap((v, i) => undeclaredFields(t.itemsType!, v, `${path}${i}.`));
  if (t.types) return t.types.flatMap((branch) => undeclaredFields(branch, value, path));
  return [];
}

/** The value as the step would decode it: checked against the input contract (no undeclared field, every type right), encoded and decoded. */
function asStepInput(stepType: string, value: unknown): unknown {
  const contract = stepContract(catalog, stepType);
  const problems: string[] = [];
  const ok = contract.input.isValid(value, {
    noUndeclaredFields: true,
    errorHook: (path: string[], v: unknown) => problems.push(`${path.join('.') || '(record)'} = ${JSON.stringify(v)?.slice(0, 120)}`),
  });
  assert.deepEqual(undeclaredFields(contract.input, value), [], `fields that ${contract.inputName} does not declare`);
  assert.ok(ok, `the input is not exactly a ${contract.inputName}: ${problems.join('; ')}`);
  return JSON.parse(JSON.stringify(catalog.decode(catalog.encode(contract.inputName, value), contract.inputName).value));
}

/** Checks an output against the step type's output contract, as the SDK does before publishing it. */
function checkOutput(stepType: string, value: unknown): void {
  const contract = stepContract(catalog, stepType);
  const problems: string[] = [];
  assert.ok(contract.output.isValid(value, { errorHook: (path: string[], v: unknown) => problems.push(`${path.join('.')} = ${JSON.stringify(v)}`) }),
    `not a ${contract.outputName}: ${problems.join('; ')}`);
}

function inboxMessage(email: CorpusEmail): Record<string, unknown> {
  return { messageId: email.id, raw: email.raw, receivedAt: NOW, mailbox: 'support@example.com' };
}

/** The held-out emails the committed model classifies as `label`, confidently or not. */
async function pick(corpus: CorpusEmail[], label: 'spam' | 'ham', confident: boolean): Promise<{ email: CorpusEmail; parsed: ParsedEmail; classified: ClassifyOutput }> {
  for (const email of corpus) {
    if (email.label !== label) continue;
    const parsed = await parseEmail({ raw: email.raw });
    const classified = await classifyText({ subject: parsed.subject, text: parsed.text });
    if (classified.label === label && (confident ? classified.confidence >= 0.95 : classified.confidence < 0.8)) return { email, parsed, classified };
  }
  throw new Error(`no held-out ${label} message classified ${confident ? 'confidently' : 'under 0.8'}`);
}

/** Runs one case through the real decider; the CPU-only steps run for real, the file-writing ones are faked. */
async function runCase(workflow: WorkflowDefinition, input: Record<string, unknown>, onReview: 'approve' = 'approve') {
  const caseId = randomUUID();
  let state: CaseState = initialState();
  let now = NOW;
  const events: CaseEvent[] = [];
  const requests: StepDispatch[] = [];
  const outcomes: Record<string, unknown>[] = [];
  const commands: CaseCommand[] = [{ type: 'StartCase', data: { caseId, input, triggeredBy: 'unit-test' } }];
  while (commands.length > 0) {
    const decision = await decide(commands.shift()!, state, { workflow, now: (now += 5), random: () => 0.5 });
    for (const e of decision.events) state = evolve(state, e);
    events.push(...decision.events);
    for (const e of decision.events) {
      if (e.type === 'ReviewRequested') commands.push({ type: 'DecideReview', data: { taskId: e.data.taskId, decision: onReview, reviewer: 'unit-test' } });
    }
    for (const r of decision.requests) {
      requests.push(r);
      const input = asStepInput(r.stepType, r.input) as never;
      const ctx = { caseId, stepId: r.stepId, attempt: r.attempt, idempotencyKey: r.idempotencyKey, params: r.params };
      let output: unknown;
      switch (r.stepType) {
        case 'email.parse': output = await parseEmail(input, ctx); break;
        case 'text.classify': output = await classifyText(input, ctx); break;
        case 'text.entities': output = await textEntities(input, ctx); break;
        case 'text.sentiment': output = await textSentiment(input, ctx); break;
        case 'text.draft': output = await draftReply(input, ctx); break;
        case 'mail.quarantine': output = { quarantinedAt: now, location: `/quarantine/${r.idempotencyKey}.json` }; break;
        case 'notify': {
          const { caseId: id, outcome } = input as { caseId: string; outcome: string };
          outcomes.push({ caseId: id, ...(JSON.parse(outcome) as Record<string, unknown>) });
          output = { written: true, path: '/notifications/case.json' };
          break;
        }
        default: throw new Error(`unexpected step type ${r.stepType}`);
      }
      checkOutput(r.stepType, output);
      commands.push({ type: 'StepResultCompleted', data: { stepId: r.stepId, attempt: r.attempt, output: JSON.parse(JSON.stringify(output)) } });
    }
  }
  const skipped = events.flatMap((e) => (e.type === 'StepSkipped' ? [e.data.stepId] : []));
  const ran = requests.map((r) => r.stepId);
  return { caseId, state, events, requests, ran, skipped, outcomes };
}

describe('the inbox-triage workflow definition', () => {
  let workflow: WorkflowDefinition;
  let corpus: CorpusEmail[];
  before(() => {
    workflow = loadInboxTriage();
    corpus = heldOutCorpus();
    defaultClassifier();
  });

  it('loads with loadDefinition: steps, needs, gates, retry, timeouts, fallback and compensation as PRODUCT.md describes', () => {
    assert.equal(workflow.name, 'inbox-triage');
    assert.equal(workflow.version, 1);
    assert.equal(workflow.input, 'baton.examples.InboxMessage');
    assert.equal(workflow.slaMs, 120_000);
    const s = workflow.steps;
    assert.deepEqual(workflow.stepOrder, ['parse', 'classify', 'quarantine', 'entities', 'sentiment', 'reply', 'reply-template', 'notify']);
    assert.deepEqual(Object.fromEntries(workflow.stepOrder.map((id) => [id, s[id]!.type])), {
      parse: 'email.parse', classify: 'text.classify', quarantine: 'mail.quarantine', entities: 'text.entities', sentiment: 'text.sentiment',
      reply: 'text.draft', 'reply-template': 'text.draft', notify: 'notify',
    });
    assert.deepEqual(Object.fromEntries(workflow.stepOrder.map((id) => [id, s[id]!.needs])), {
      parse: [], classify: ['parse'], quarantine: ['classify'], entities: ['classify'], sentiment: ['classify'],
      reply: ['entities', 'sentiment'], 'reply-template': [], notify: ['quarantine', 'reply'],
    });
    assert.deepEqual(s.parse!.retry, { maxAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 60_000, jitter: 0.2, nonRetryable: ['MalformedEmail'] });
    assert.equal(s.parse!.timeoutMs, 30_000);
    assert.deepEqual(s.classify!.params, { model: 'fast' });
    assert.equal(s.classify!.review?.queue, 'triage');
    assert.equal(s.classify!.review?.timeoutMs, 4 * 3600_000);
    assert.equal(s.classify!.review?.onTimeout, 'escalate');
    assert.equal(s.classify!.review?.when?.source, 'output.confidence < 0.8');
    assert.equal(s.reply!.retry.maxAttempts, 3);
    assert.equal(s.reply!.fallback, 'reply-template');
    assert.equal(s['reply-template']!.fallbackFor, 'reply');
    assert.deepEqual(s['reply-template']!.params, { drafter: 'template' });
    assert.equal(s.reply!.compensate, 'reply.withdraw');
    assert.equal(s['reply-template']!.compensate, 'reply.withdraw');
    for (const id of workflow.stepOrder) assert.ok(s[id]!.input, `step ${id} builds its input`);
  });

  it('names only step types that have a contract and a handler in this service', () => {
    const types = Object.values(workflow.steps).flatMap((s) => [s.type, ...(s.compensate ? [s.compensate] : [])]);
    for (const t of new Set(types)) {
      assert.ok((TRIAGE_STEP_TYPES as readonly string[]).includes(t), `${t} is a triage step type`);
      assert.ok(TRIAGE_STEP_HANDLERS[t as keyof typeof TRIAGE_STEP_HANDLERS], `${t} has a handler`);
      stepContract(catalog, t);
    }
  });

  it('review gate: asks a person below 0.8 confidence only', async () => {
    const when = workflow.steps.classify!.review!.when!;
    const doc = (confidence: number) => ({ output: { label: 'ham', confidence, model: 'natural-bayes', modelVersion: 'x' }, input: {}, case: {}, steps: {} });
    assert.equal(await when.evaluate(doc(0.79), NOW), true);
    assert.equal(await when.evaluate(doc(0.8), NOW), false);
    assert.equal(await when.evaluate(doc(0.999), NOW), false);
  });

  it('every step input, evaluated by the engine over real step outputs of a ham and a spam email, is exactly its step type\'s input record', async () => {
    for (const label of ['ham', 'spam'] as const) {
      const { email, parsed, classified } = await pick(corpus, label, true);
      const entities = await textEntities({ text: parsed.text });
      const sentiment = await textSentiment({ text: parsed.text });
      const draftInputs: unknown[] = [];
      const c = { id: 'case-1', input: inboxMessage(email), workflow: 'inbox-triage', version: 1 };
      const done = (input: unknown, output: unknown) => ({ input, output, status: 'completed' });
      const steps: Record<string, unknown> = {
        parse: done({ raw: email.raw }, parsed),
        classify: done({ subject: parsed.subject, text: parsed.text }, classified),
      };
      const evaluate = async (id: string) => asStepInput(workflow.steps[id]!.type, await workflow.steps[id]!.input!.evaluate({ case: c, steps }, NOW));

      assert.deepEqual(await evaluate('parse'), { raw: email.raw });
      assert.deepEqual(await evaluate('classify'), { subject: parsed.subject, text: parsed.text, params: null });
      assert.deepEqual(await evaluate('quarantine'), { messageId: parsed.messageId, subject: parsed.subject, reason: `classified as spam with confidence ${classified.confidence.toFixed(3)}` });
      assert.deepEqual(await evaluate('entities'), { text: parsed.text });
      assert.deepEqual(await evaluate('sentiment'), { text: parsed.text });
      steps.entities = done({ text: parsed.text }, entities);
      steps.sentiment = done({ text: parsed.text }, sentiment);
      for (const id of ['reply', 'reply-template']) draftInputs.push(await evaluate(id));
      const expected = { subject: parsed.subject, from: parsed.from, text: parsed.text, entities, sentiment };
      assert.deepEqual(draftInputs, [expected, expected], `${label}: the draft gets the parsed email, its entities and sentiment`);
      const draft = await draftReply(expected);
      steps.reply = done(expected, draft);
      const notify = (await evaluate('notify')) as { caseId: string; outcome: string };
      assert.equal(notify.caseId, 'case-1');
      assert.deepEqual(Object.keys(JSON.parse(notify.outcome)), ['messageId', 'subject', 'label', 'confidence', 'reviewed', 'quarantined', 'replyDrafted', 'replyModel']);
    }
  });

  it('passes one-element and empty entity lists to the draft as lists (no JSONata singleton flattening)', async () => {
    const entities = { people: ['Ann Lee'], organizations: [], dates: ['next tuesday'], money: [] };
    const sentiment = { score: 0.4, comparative: 0.2, label: 'positive' };
    const steps = {
      parse: { input: {}, output: { subject: 'Order 7', from: 'Ann <ann@example.com>', to: ['x@example.com'], date: null, text: 'hello', messageId: null }, status: 'completed' },
      entities: { input: {}, output: entities, status: 'completed' },
      sentiment: { input: {}, output: sentiment, status: 'completed' },
    };
    const value = await workflow.steps.reply!.input!.evaluate({ case: { id: 'c' }, steps }, NOW);
    assert.deepEqual(asStepInput('text.draft', value), { subject: 'Order 7', from: 'Ann <ann@example.com>', text: 'hello', entities, sentiment });
  });

  it('builds the notify outcome whichever branch was skipped, and after a fallback draft', async () => {
    const parse = { input: {}, output: { subject: 'Win $$$', from: 'x@spam.example', to: [], date: null, text: 'buy', messageId: '<m1@x>' }, status: 'completed' };
    const classify = (label: string, confidence: number) => ({ input: {}, output: { label, confidence, model: 'natural-bayes', modelVersion: 'abc' }, status: 'completed' });
    const skipped = { input: null, output: null, status: 'skipped' };
    const c = { id: 'case-9', input: { messageId: 'spam-2/00001', raw: '', receivedAt: NOW, mailbox: null } };
    const outcome = async (steps: Record<string, unknown>) => {
      const v = asStepInput('notify', await workflow.steps.notify!.input!.evaluate({ case: c, steps }, NOW)) as { caseId: string; outcome: string };
      assert.equal(v.caseId, 'case-9');
      return JSON.parse(v.outcome) as Record<string, unknown>;
    };
    const spam = await outcome({
      parse, classify: classify('spam', 0.97), quarantine: { input: {}, output: { quarantinedAt: NOW, location: '/q/1.json' }, status: 'completed' },
      entities: skipped, sentiment: skipped, reply: skipped,
    });
    assert.deepEqual(spam, { messageId: 'spam-2/00001', subject: 'Win $$$', label: 'spam', confidence: 0.97, reviewed: false, quarantined: true, replyDrafted: false, replyModel: null });
    const draft = { reply: 'Hi,', model: TEMPLATE_MODEL, inputTokens: 10, outputTokens: 1, costUsd: 0 };
    const done = { input: {}, output: {}, status: 'completed' };
    const approved = { status: 'decided', queue: 'triage', decision: 'approve', decidedBy: 'reviewer', reviewer: 'ann', comment: null };
    const ham = await outcome({ parse, classify: { ...classify('ham', 0.62), review: approved }, quarantine: skipped, entities: done, sentiment: done, reply: { input: {}, output: draft, status: 'completed' } });
    assert.deepEqual(ham, { messageId: 'spam-2/00001', subject: 'Win $$$', label: 'ham', confidence: 0.62, reviewed: true, quarantined: false, replyDrafted: true, replyModel: TEMPLATE_MODEL });
    const fellBack = await outcome({ parse, classify: classify('ham', 0.9), quarantine: skipped, entities: done, sentiment: done, reply: { input: {}, output: draft, status: 'fallen-back' } });
    assert.equal(fellBack.replyDrafted, true);
  });

  it('runs a confident spam case through the decider: quarantine, then notify; entities, sentiment and reply skipped', async () => {
    const { email } = await pick(corpus, 'spam', true);
    const run = await runCase(workflow, inboxMessage(email));
    assert.equal(run.state.status, 'completed');
    assert.deepEqual(run.ran, ['parse', 'classify', 'quarantine', 'notify']);
    assert.deepEqual(run.skipped.sort(), ['entities', 'reply', 'sentiment']);
    assert.equal(run.events.filter((e) => e.type === 'ReviewRequested').length, 0);
    assert.deepEqual(run.outcomes.map((o) => [o.caseId, o.label, o.quarantined, o.replyDrafted, o.reviewed]), [[run.caseId, 'spam', true, false, false]]);
  });

  it('runs a ham case that needs review: approved, then entities and sentiment together, the reply, and notify', async () => {
    const { email } = await pick(corpus, 'ham', false);
    const run = await runCase(workflow, inboxMessage(email));
    assert.equal(run.state.status, 'completed');
    assert.equal(run.events.filter((e) => e.type === 'ReviewRequested').length, 1);
    assert.deepEqual(run.skipped, ['quarantine']);
    assert.deepEqual(run.ran, ['parse', 'classify', 'entities', 'sentiment', 'reply', 'notify']);
    // entities and sentiment were scheduled by one decision, at the same time.
    const at = (id: string) => run.events.find((e) => e.type === 'StepScheduled' && e.data.stepId === id)!;
    assert.equal((at('entities') as { data: { scheduledAt: number } }).data.scheduledAt, (at('sentiment') as { data: { scheduledAt: number } }).data.scheduledAt);
    assert.deepEqual(run.outcomes.map((o) => [o.label, o.quarantined, o.replyDrafted, o.reviewed, o.replyModel]), [['ham', false, true, true, TEMPLATE_MODEL]]);
  });
});
