import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { workflowDefinitionSchema } from '@baton/workflow-engine';
import { INT4_MAX, REQUEST_BODIES, WorkflowDefinition } from './index';

const ajv = new Ajv({ allErrors: true, strict: true, keywords: ['example'] });
addFormats(ajv);

describe('the HTTP contract', () => {
  it('compiles every request body with a strict ajv, and refuses out-of-int4 versions and blank text', () => {
    for (const [name, schema] of Object.entries(REQUEST_BODIES)) assert.doesNotThrow(() => ajv.compile(schema), name);
    const start = ajv.compile(REQUEST_BODIES.StartCaseRequest);
    assert.equal(start({ workflow: 'w', input: {}, version: INT4_MAX }), true);
    assert.equal(start({ workflow: 'w', input: {}, version: INT4_MAX + 1 }), false);
    assert.equal(start({ workflow: ' \t', input: {} }), false);
    assert.equal(start({ workflow: 'w', input: 'text' }), false);
  });

  it("publishes the workflow engine's definition schema with its $defs inlined, judging definitions as the engine does", () => {
    const text = JSON.stringify(WorkflowDefinition);
    assert.ok(!text.includes('$ref') && !text.includes('$defs') && !text.includes('$id'), text.slice(0, 200));
    const ours = new Ajv({ allErrors: true, strict: false }).compile(WorkflowDefinition);
    const engines = new Ajv({ allErrors: true, strict: false }).compile(workflowDefinitionSchema);
    const samples: unknown[] = [
      { name: 'w', version: 1, steps: { a: { type: 'noop' } } },
      { name: 'w', version: 1, steps: { a: { type: 'noop', retry: { maxAttempts: 0 } } } },
      { name: 'w', version: 1, steps: { a: { type: 'noop', review: { onTimeout: 'later' } } } },
      { name: 'w', version: 1, steps: {} },
      { name: 'w', version: 1, steps: { a: { type: 'noop', extra: 1 } } },
      { name: '-w', version: 1, steps: { a: { type: 'noop' } } },
    ];
    assert.deepEqual(samples.map((s) => ours(s)), samples.map((s) => engines(s)));
    assert.deepEqual(samples.map((s) => ours(s)), [true, false, false, false, false, false]);
  });

});
