import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionError } from './definition-error';
import { defineWorkflow } from './load';
import { cronTicks } from './triggers';

const withTriggers = (triggers: unknown[]) => defineWorkflow({ name: 't', version: 1, triggers: triggers as never, steps: { a: { type: 'noop' } } });

/** The fields a refused definition's issues name. */
function refusedFields(triggers: unknown[]): string[] {
  try {
    withTriggers(triggers);
  } catch (error) {
    assert.ok(error instanceof DefinitionError, String(error));
    return error.issues.map((i) => i.field);
  }
  assert.fail('the definition was accepted');
}

describe('workflow triggers', () => {
  it('compiles a cron trigger with its defaults and a files trigger', () => {
    const w = withTriggers([{ cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', input: { n: 1 }, catchupWindow: 'PT5M' }, { id: 'inbox', files: { dir: '/data/in', pattern: '*.eml' } }, { cron: '*/5 * * * * *' }]);
    assert.deepEqual(w.triggers, [
      { kind: 'cron', id: '0', cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', input: { n: 1 }, catchupWindowMs: 300_000 },
      { kind: 'files', id: 'inbox', dir: '/data/in', pattern: '*.eml' },
      { kind: 'cron', id: '2', cron: '*/5 * * * * *', timezone: 'UTC', input: {} },
    ]);
  });

  it('refuses a pattern croner cannot read, an unknown time zone, a bad window, both kinds at once and a repeated id, naming each field', () => {
    assert.deepEqual(refusedFields([{ cron: '61 * * * *' }]), ['triggers[0].cron']);
    assert.deepEqual(refusedFields([{ cron: '* * * * *', timezone: 'Mars/Base' }]), ['triggers[0].timezone']);
    assert.deepEqual(refusedFields([{ cron: '* * * * *', catchupWindow: 'soon' }]), ['triggers[0].catchupWindow']);
    assert.deepEqual(refusedFields([{ cron: '* * * * *', files: { dir: '/x' } }]), ['triggers[0]']);
    assert.deepEqual(refusedFields([{ id: 'a', cron: '* * * * *' }, { id: 'a', files: { dir: '/x' } }]), ['triggers[1].id']);
    assert.ok(refusedFields([{ cron: '* * * * *', every: 'day' }]).some((f) => f.includes('triggers')));
  });

  it('reads the pattern in its time zone: 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer, weekdays only', () => {
    const berlin = { cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' };
    const winter = cronTicks(berlin, Date.parse('2026-12-04T12:00:00Z'), Date.parse('2026-12-08T12:00:00Z'), 10).ticks.map((t) => new Date(t).toISOString());
    assert.deepEqual(winter, ['2026-12-07T08:00:00.000Z', '2026-12-08T08:00:00.000Z'], 'Friday after nine, the weekend, then Monday and Tuesday');
    const summer = cronTicks(berlin, Date.parse('2026-07-01T00:00:00Z'), Date.parse('2026-07-01T23:00:00Z'), 10).ticks.map((t) => new Date(t).toISOString());
    assert.deepEqual(summer, ['2026-07-01T07:00:00.000Z']);
  });

  it('gives at most `limit` ticks and the one after them', () => {
    const every = { cron: '* * * * * *', timezone: 'UTC' };
    const { ticks, next } = cronTicks(every, 0, 10_000, 3);
    assert.deepEqual(ticks, [1000, 2000, 3000]);
    assert.equal(next, 4000);
  });
});
