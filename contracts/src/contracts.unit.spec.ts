import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, decode, AvroEncodeError } from '@baton/avro';
import { CONTRACTS_SCHEMA_DIR, ContractLayoutError, ContractNames, deadLetterTopic, loadContracts, SIGNAL_NAMES, STEP_RESULT_NAMES, stepContract, stepTopic, stepTypes, Topics, UnknownStepTypeError } from './index';
import type { TextClassifyInput, TextClassifyOutput, InboxMessage, Wire } from './index';

const EXAMPLE_STEP_TYPES = ['email.parse', 'mail.quarantine', 'noop', 'notify', 'reply.withdraw', 'text.classify', 'text.draft', 'text.entities', 'text.sentiment'];

describe('contracts', () => {
  const catalog = loadContracts();

  it('loads every schema from contracts/schemas, whatever the working directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      assert.equal(loadContracts().names().length, catalog.names().length);
    } finally {
      process.chdir(cwd);
    }
    assert.ok(CONTRACTS_SCHEMA_DIR.endsWith(join('contracts', 'schemas')));
    for (const name of Object.values(ContractNames)) assert.ok(catalog.has(name), name);
    assert.deepEqual(stepTypes(catalog), EXAMPLE_STEP_TYPES);
  });

  it('names the topics of the contract', () => {
    assert.equal(Topics.triggers, 'baton.triggers');
    assert.equal(Topics.stepResults, 'baton.step-results');
    assert.equal(Topics.signals, 'baton.signals');
    assert.equal(Topics.caseEvents, 'baton.case-events');
    assert.equal(stepTopic('text.classify'), 'baton.step.text.classify');
    assert.equal(deadLetterTopic(Topics.stepResults), 'baton.step-results.dlt');
  });

  it('tells the messages sharing a topic apart by fingerprint', () => {
    for (const names of [STEP_RESULT_NAMES, SIGNAL_NAMES]) {
      const fps = new Set(names.map((n) => catalog.get(n).fingerprint));
      assert.equal(fps.size, names.length);
    }
    const heartbeat = catalog.encode(ContractNames.StepHeartbeat, { caseId: 'c', stepId: 's', stepType: 'noop', attempt: 1, at: 1, details: null });
    assert.equal(catalog.decode(heartbeat).writerName, ContractNames.StepHeartbeat);
  });

  it('gives each example step type an input and output contract that round-trip', () => {
    const input: TextClassifyInput = { subject: 'Win', text: 'money now', params: null };
    const output: TextClassifyOutput = { label: 'spam', confidence: 0.97, model: 'bayes', modelVersion: '1' };
    const c = stepContract(catalog, 'text.classify');
    assert.equal(c.inputName, 'baton.steps.text_classify.Input');
    assert.deepEqual({ ...decode<object>(c.input, encode(c.input, input)) }, input);
    assert.deepEqual({ ...decode<object>(c.output, encode(c.output, output)) }, output);
    for (const t of EXAMPLE_STEP_TYPES) assert.doesNotThrow(() => stepContract(catalog, t));
  });

  it('nests single-object messages in bytes fields of the envelopes', () => {
    const inbox: InboxMessage = { messageId: 'm1', raw: 'Subject: hi\r\n\r\nhello', receivedAt: 1_700_000_000_000, mailbox: null };
    const trigger: Wire.TriggerCase = {
      triggerId: 't1', workflow: 'inbox-triage', version: null, key: 'm1', input: catalog.encode(ContractNames.InboxMessage, inbox),
      source: 'kafka', correlationId: null, requestedAt: 1_700_000_000_001, tenant: null,
    };
    const out = catalog.decode<Wire.TriggerCase>(catalog.encode(ContractNames.TriggerCase, trigger));
    assert.deepEqual({ ...catalog.decode<InboxMessage>(out.value.input).value }, inbox);

    const request: Wire.StepRequest = {
      requestId: 'r1', caseId: 'c1', workflow: 'inbox-triage', workflowVersion: 1, stepId: 'classify', stepType: 'text.classify', attempt: 1,
      input: encode(stepContract(catalog, 'text.classify').input, { subject: 's', text: 't', params: null }), params: '{}', deadline: 2, startToCloseMs: null, idempotencyKey: 'c1:classify',
    };
    assert.equal(catalog.decode<Wire.StepRequest>(catalog.encode(ContractNames.StepRequest, request)).value.stepId, 'classify');

    const completed: Wire.StepCompleted = {
      resultId: 'x', caseId: 'c1', stepId: 'classify', stepType: 'text.classify', attempt: 1, output: Buffer.alloc(0),
      metering: { model: 'm', modelVersion: null, inputTokens: 10, outputTokens: 2, costUsd: 0.001 }, startedAt: 1, finishedAt: 2, worker: 'w1',
    };
    assert.equal(catalog.decode<Wire.StepCompleted>(catalog.encode(ContractNames.StepCompleted, completed)).value.metering?.inputTokens, 10);
  });

  it('refuses to encode an envelope with a wrong field, naming it', () => {
    assert.throws(() => catalog.encode(ContractNames.RetryCase, { signalId: 's', caseId: 'c', stepId: 1, requestedBy: null, requestedAt: 1 }), (e: unknown) => e instanceof AvroEncodeError && /stepId/.test(e.message));
  });

  it('fails with a typed error for a step type without a contract', () => {
    assert.throws(() => stepContract(catalog, 'text.translate'), (e: unknown) => e instanceof UnknownStepTypeError && /text\.translate/.test(e.message) && /text\.classify/.test(e.message));
  });

  it('refuses a schema file whose name does not match its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-contracts-'));
    try {
      mkdirSync(join(dir, 'steps', 'foo'), { recursive: true });
      writeFileSync(join(dir, 'steps', 'foo', 'input.avsc'), JSON.stringify({ type: 'record', name: 'Input', namespace: 'baton.steps.bar', fields: [] }));
      assert.throws(() => loadContracts({ dir }), (e: unknown) => e instanceof ContractLayoutError && /baton\.steps\.foo\.Input/.test(e.message));
      rmSync(join(dir, 'steps'), { recursive: true });
      mkdirSync(join(dir, 'baton'));
      writeFileSync(join(dir, 'baton', 'Thing.avsc'), JSON.stringify({ type: 'record', name: 'Other', namespace: 'baton.v1', fields: [] }));
      assert.throws(() => loadContracts({ dir }), ContractLayoutError);
      writeFileSync(join(dir, 'baton', 'Thing.avsc'), '{oops');
      assert.throws(() => loadContracts({ dir }), (e: unknown) => e instanceof ContractLayoutError && /not JSON/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
