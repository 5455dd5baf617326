import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/** Runs `code` in a child with the given environment and returns its stderr lines, parsed. */
function linesOf(code: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown>[] {
  const child = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', `const o = require('./libs/observability/src/index.ts'); ${code}`], {
    env: { ...process.env, LOG_LEVEL: '', BATON_DEBUG: '', ...env }, encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return child.stderr.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('service logs', () => {
  it('writes JSON lines with a string level, an ISO time, the component and "message"', () => {
    const [line] = linesOf(`o.log('info', 'gateway', 'ready; listening', { port: 3 });`);
    assert.deepEqual({ ...line, time: undefined }, { level: 'info', time: undefined, component: 'gateway', port: 3, message: 'ready; listening' });
    assert.match(String(line!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('adds the fields of withLogFields to every line inside it, never a key twice', () => {
    const lines = linesOf(`o.withLogFields({ caseId: 'c-1' }, async () => { await new Promise((r) => setTimeout(r, 5)); o.createLogger('relay').warn('inside'); o.createLogger('step', { caseId: 'c-1' }).info('bound'); }); o.log('info', 'x', 'outside');`);
    const [outside, inside, bound] = lines;
    assert.equal(outside!.caseId, undefined);
    assert.equal(inside!.caseId, 'c-1');
    assert.equal(inside!.component, 'relay');
    assert.equal(bound!.caseId, 'c-1');
  });

  it('takes its level from LOG_LEVEL and refuses an unknown one, naming the variable', () => {
    assert.equal(linesOf(`o.log('debug', 'x', 'hidden'); o.log('info', 'x', 'shown');`).length, 1);
    assert.equal(linesOf(`o.log('debug', 'x', 'shown');`, { LOG_LEVEL: 'debug' }).length, 1);
    assert.equal(linesOf(`o.log('warn', 'x', 'hidden'); o.log('error', 'x', 'shown');`, { LOG_LEVEL: 'error' }).length, 1);
    assert.throws(() => linesOf('', { LOG_LEVEL: 'loud' }), /LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "loud"/);
  });
});
