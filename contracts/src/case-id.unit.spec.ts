import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { caseIdFor } from './case-id';
import { topicNames } from './topic-names';

describe('case ids', () => {
  it('names the same case for the same workflow and key, whatever the trigger id', () => {
    const a = caseIdFor({ workflow: 'inbox-triage', key: 'msg-1', triggerId: 't1' });
    const b = caseIdFor({ workflow: 'inbox-triage', key: 'msg-1', triggerId: 't2' });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('names different cases for another key, another workflow, or keyless triggers', () => {
    const ids = new Set([
      caseIdFor({ workflow: 'w', key: 'k1', triggerId: 't' }),
      caseIdFor({ workflow: 'w', key: 'k2', triggerId: 't' }),
      caseIdFor({ workflow: 'v', key: 'k1', triggerId: 't' }),
      caseIdFor({ workflow: 'w', triggerId: 't' }),
      caseIdFor({ workflow: 'w', key: null, triggerId: 'u' }),
    ]);
    assert.equal(ids.size, 5);
  });
});

describe('topic names', () => {
  it('are the contract names without a namespace and prefixed with one', () => {
    assert.equal(topicNames('').triggers, 'baton.triggers');
    assert.equal(topicNames('').step('text.classify'), 'baton.step.text.classify');
    assert.equal(topicNames('t1').caseEvents, 't1.baton.case-events');
    assert.throws(() => topicNames('a b'), /topic namespace 'a b' may hold only/);
  });
});
