import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from './load';
import { mermaidNodeIds, toMermaid } from './mermaid';

describe('rendering a definition as Mermaid', () => {
  it('draws needs edges, labels when conditions, and dots fallback edges', () => {
    const wf = defineWorkflow({
      name: 'wf', version: 1,
      steps: {
        parse: { type: 'email.parse', when: 'case.input.enabled' },
        classify: { type: 'text.classify', needs: ['parse'], review: { queue: 'triage' } },
        quarantine: { type: 'mail.quarantine', needs: ['classify'], when: "steps.classify.output.label = 'spam'" },
        reply: { type: 'text.draft', needs: ['classify'], fallback: 'reply-template', compensate: 'reply.withdraw' },
        'reply-template': { type: 'text.template' },
      },
    });
    assert.equal(toMermaid(wf), [
      'flowchart TD',
      '  parse["parse<br/>email.parse<br/>when: case.input.enabled"]',
      '  classify["classify<br/>text.classify<br/>review: triage"]',
      '  quarantine["quarantine<br/>mail.quarantine"]',
      '  reply["reply<br/>text.draft<br/>compensate: reply.withdraw"]',
      '  reply_template("reply-template<br/>text.template")',
      '  parse --> classify',
      '  classify -->|"steps.classify.output.label = \'spam\'"| quarantine',
      '  classify --> reply',
      '  reply -.->|fallback| reply_template',
      '',
    ].join('\n'));
    assert.deepEqual(mermaidNodeIds(wf), { parse: 'parse', classify: 'classify', quarantine: 'quarantine', reply: 'reply', 'reply-template': 'reply_template' });
  });

  it('escapes quotes and angle brackets in labels, and keeps node ids unique', () => {
    const wf = defineWorkflow({
      name: 'wf', version: 1,
      steps: { 'a-b': { type: 't' }, a_b: { type: 't', needs: ['a-b'], when: 'steps.`a-b`.output.n < 3 and "x" = "x"' } },
    });
    const text = toMermaid(wf);
    assert.match(text, /a_b -->\|"steps\.`a-b`\.output\.n #lt; 3 and #quot;x#quot; = #quot;x#quot;"\| a_b_2/);
  });
});
