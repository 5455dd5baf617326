import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runReadiness } from './health';

describe('readiness', () => {
  it('is ok only when every check answers true in time', async () => {
    const report = await runReadiness({ db: async () => true, kafka: async () => true });
    assert.deepEqual(report, { status: 'ok', checks: { db: 'ok', kafka: 'ok' } });
  });

  it('reports a check that throws, answers false or hangs as failing', async () => {
    const report = await runReadiness({
      db: async () => { throw new Error('connection refused'); },
      kafka: async () => false,
      slow: () => new Promise<boolean>((r) => setTimeout(() => r(true), 500)),
      fine: async () => true,
    }, 50);
    assert.equal(report.status, 'unavailable');
    assert.deepEqual(report.checks, { db: 'failing', kafka: 'failing', slow: 'failing', fine: 'ok' });
  });
});
