import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient } from './api-client';
import { createProgram } from './program';

/** The program over a fetch that records each request and answers `reply`. */
function run(args: string[], reply: unknown) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    sent.push({ method: init.method!, path: url.pathname, body: init.body ? JSON.parse(init.body as string) : undefined });
    return new Response(init.method === 'DELETE' ? null : JSON.stringify(reply), { status: init.method === 'DELETE' ? 204 : 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  let out = '';
  const program = createProgram(new ApiClient('http://gw.test', fetchImpl), { out: (t) => { out += t; }, style: { color: false, unicode: true }, barWidth: 40 });
  program.exitOverride();
  return program.parseAsync(['node', 'baton', ...args]).then(() => ({ sent, out }));
}

describe('baton limits, breakers and resolve', () => {
  it('sets a limit with concurrency, rate and breaker, and prints it as a table', async () => {
    const stored = { stepType: 'text.draft', concurrency: 10, ratePerSecond: 50, breaker: { failures: 5, windowMs: 30000, openMs: 10000 } };
    const { sent, out } = await run(['limits', 'set', 'text.draft', '--concurrency', '10', '--rate', '50/s', '--breaker', '{"failures":5,"windowMs":30000,"openMs":10000}'], stored);
    assert.equal(sent[0]!.method, 'PUT');
    assert.equal(sent[0]!.path, '/limits/text.draft');
    assert.deepEqual({ ...(sent[0]!.body as object), updatedBy: undefined }, { concurrency: 10, rate: '50/s', breaker: stored.breaker, updatedBy: undefined });
    assert.match(out, /text\.draft\s+10\s+50\/s\s+-\s+5 in 30000 ms, open 10000 ms/);
  });

  it('lists breakers with their state and queue', async () => {
    const { sent, out } = await run(['breakers'], [{ stepType: 'noop', state: 'open', changedAt: '2026-12-02T15:00:00.000Z', policy: null, waiting: 4, inFlight: 1 }]);
    assert.deepEqual([sent[0]!.method, sent[0]!.path], ['GET', '/breakers']);
    assert.match(out, /noop\s+open\s+2026-12-02T15:00:00.000Z\s+4\s+1/);
  });

  it('resolves a waiting step by skipping it with an output, and refuses both or neither of --retry and --skip', async () => {
    const { sent, out } = await run(['resolve', 'c-1', 'charge', '--skip', '--output', '{"ok":true}'], { taskId: 't-1', signalId: 's-1' });
    assert.equal(sent[0]!.path, '/cases/c-1/steps/charge/resolve');
    assert.equal((sent[0]!.body as { action: string }).action, 'skip');
    assert.deepEqual((sent[0]!.body as { output: unknown }).output, { ok: true });
    assert.match(out, /skip requested: case c-1 step charge \(task t-1, signal s-1\)/);
    await assert.rejects(run(['resolve', 'c-1', 'charge'], {}), /exactly one of --retry and --skip/);
  });
});
