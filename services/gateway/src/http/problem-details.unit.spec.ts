import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundException } from '@nestjs/common';
import { AvroEncodeError } from '@baton/avro';
import { DefinitionVersionConflict, WorkflowNotFound } from '@baton/definitions';
import { InvalidProjectionQuery } from '@baton/projections';
import { DefinitionError } from '@baton/workflow-engine';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { ValidationProblem } from '../errors/validation-problem';
import { toProblem } from './problem-details';

describe('toProblem', () => {
  it('maps each domain error to its status, naming the fields of a 400', () => {
    const cases: [unknown, number, string[]][] = [
      [new ValidationProblem([{ field: 'workflow', message: 'is required' }]), 400, ['workflow']],
      [new DefinitionError('wf', [{ step: 'a', field: 'needs', message: 'names unknown step b' }, { field: 'version', message: 'bad' }]), 400, ['steps.a.needs', 'version']],
      [new AvroEncodeError('baton.X', [{ path: 'a.b', expected: 'long', actual: '"x"' }]), 400, ['a.b']],
      [new InvalidProjectionQuery('cursor', 'not a cursor'), 400, ['cursor']],
      [new WorkflowNotFound('wf'), 404, []],
      [new ResourceNotFound('case', 'c1'), 404, []],
      [new DefinitionVersionConflict('wf', 1), 409, []],
      [new StateConflict('task', 't1', 'decided', 'it was decided'), 409, []],
      [new NotFoundException('Cannot GET /x'), 404, []],
    ];
    for (const [error, status, fields] of cases) {
      const { problem, internal } = toProblem(error, '/here');
      assert.equal(problem.status, status, String(error));
      assert.equal(problem.instance, '/here');
      assert.equal(internal, false);
      assert.deepEqual((problem.errors ?? []).map((e) => e.field), fields);
    }
    assert.equal(toProblem(new DefinitionError('wf', [{ step: 'a', field: 'when', message: 'bad' }]), '/').problem.errors![0]!.step, 'a');
  });

  it('hides the cause of an unexpected error behind a 500 and flags it for the log', () => {
    const { problem, internal } = toProblem(new Error('password=secret'), '/cases');
    assert.equal(problem.status, 500);
    assert.equal(internal, true);
    assert.doesNotMatch(JSON.stringify(problem), /secret/);
  });

  it('answers body-parser errors with their 4xx status', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    assert.equal(toProblem(tooLarge, '/workflows').problem.status, 413);
  });
});
