import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runUntilDeadline } from './run-until-deadline';

const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('runUntilDeadline', () => {
  it('returns the value of work that settles before the deadline', async () => {
    assert.deepEqual(await runUntilDeadline(after(5, 42), () => Date.now() + 1000), { kind: 'returned', value: 42 });
  });

  it('returns what work threw', async () => {
    const error = new Error('boom');
    assert.deepEqual(await runUntilDeadline(Promise.reject(error), () => Date.now() + 1000), { kind: 'threw', error });
  });

  it('gives up at the deadline', async () => {
    const deadline = Date.now() + 30;
    assert.deepEqual(await runUntilDeadline(after(500, 1), () => deadline), { kind: 'deadline' });
  });

  it('keeps waiting when the deadline moved later before it passed', async () => {
    let deadline = Date.now() + 30;
    setTimeout(() => { deadline = Date.now() + 200; }, 10);
    assert.deepEqual(await runUntilDeadline(after(80, 'done'), () => deadline), { kind: 'returned', value: 'done' });
  });
});
