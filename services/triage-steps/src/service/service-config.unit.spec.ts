import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootFailure } from '@baton/testing';
import { parseStepTypes, TRIAGE_STEP_TYPES, UnknownTriageStepType } from '../step-types';
import { DEFAULT_PORT, loadServiceConfig } from './service-config';
import { TRIAGE_STEP_HANDLERS } from './handlers';

test('BATON_STEP_TYPES selects the step types: all by default, a comma-separated subset otherwise', () => {
  assert.deepEqual(parseStepTypes(undefined), [...TRIAGE_STEP_TYPES]);
  assert.deepEqual(parseStepTypes(''), [...TRIAGE_STEP_TYPES]);
  assert.deepEqual(parseStepTypes(' * '), [...TRIAGE_STEP_TYPES]);
  assert.deepEqual(parseStepTypes('text.classify'), ['text.classify']);
  assert.deepEqual(parseStepTypes(' text.draft , notify,,text.draft '), ['text.draft', 'notify']);
});

test('an unknown step type in BATON_STEP_TYPES is refused, naming it and the known ones', () => {
  assert.throws(() => parseStepTypes('text.classify,text.translate,ocr'), (err: unknown) => {
    assert.ok(err instanceof UnknownTriageStepType);
    assert.match(err.message, /^BATON_STEP_TYPES names step types 'text\.translate', 'ocr' that this service does not have; known: email\.parse, /);
    return true;
  });
});

test('every step type has a handler registered for its own type', () => {
  assert.deepEqual(Object.keys(TRIAGE_STEP_HANDLERS).sort(), [...TRIAGE_STEP_TYPES].sort());
  for (const [type, handler] of Object.entries(TRIAGE_STEP_HANDLERS)) assert.equal(handler.stepType, type);
});

test('the service configuration: port 3100 by default, 0 allowed, namespace and brokers from the environment', () => {
  const c = loadServiceConfig({});
  assert.deepEqual(c, { stepTypes: [...TRIAGE_STEP_TYPES], port: DEFAULT_PORT, host: '127.0.0.1', namespace: '', brokers: ['127.0.0.1:9092'] });
  assert.equal(DEFAULT_PORT, 3100);
  const d = loadServiceConfig({ PORT: '0', HOST: '127.0.0.1', BATON_TOPIC_NAMESPACE: 'team-a', KAFKA_BROKERS: 'k1:9092, k2:9092', BATON_STEP_TYPES: 'noop' });
  assert.deepEqual(d, { stepTypes: ['noop'], port: 0, host: '127.0.0.1', namespace: 'team-a', brokers: ['k1:9092', 'k2:9092'] });
  assert.equal(loadServiceConfig({ BATON_STEP_GROUP: ' triage-front ' }).groupId, 'triage-front');
  assert.throws(() => loadServiceConfig({ PORT: 'http' }), /PORT: expected an integer from 0 to 65535, got "http"/);
  assert.throws(() => loadServiceConfig({ PORT: '70000' }), /PORT/);
  assert.throws(() => loadServiceConfig({ BATON_TOPIC_NAMESPACE: 'a.b' }), /topic namespace 'a\.b'/);
});

test('a bad variable stops the service at boot, naming it, what it expects and the value', () => {
  const { code, fatal } = bootFailure('services/triage-steps/src/main.ts', { PORT: 'http', BATON_LLM_TIMEOUT_MS: 'soon' });
  assert.equal(code, 1);
  assert.match(fatal ?? '', /^failed to start: ConfigError: PORT: expected an integer from 0 to 65535, got "http"\n/);
});

test('a bad LLM variable stops the service at boot, though the drafter reads it later', () => {
  const { code, fatal } = bootFailure('services/triage-steps/src/main.ts', { BATON_LLM_TIMEOUT_MS: 'soon' });
  assert.equal(code, 1);
  assert.match(fatal ?? '', /^failed to start: ConfigError: BATON_LLM_TIMEOUT_MS: expected a non-negative number \(ms, 0 for 30 s\), got "soon"\n/);
});
