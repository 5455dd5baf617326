import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuUsed, msPerCase } from './measure-peer';

describe('a peer\'s CPU', () => {
  it('adds up each process\'s CPU between two samples', () => {
    assert.equal(cpuUsed(new Map([[1, 10], [2, 5]]), new Map([[1, 12.5], [2, 5.25]])), 2.75);
  });

  it('counts a process that started in between from zero, and leaves out one that is gone', () => {
    assert.equal(cpuUsed(new Map([[1, 10], [9, 3]]), new Map([[1, 11], [2, 0.5]])), 1.5);
  });

  it('gives milliseconds per case, and nothing for no case', () => {
    assert.equal(msPerCase(1.5, 100), 15);
    assert.equal(msPerCase(1, 3), 333.3);
    assert.equal(msPerCase(1, 0), null);
  });
});
