import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineWorkflow } from '../definition/load';
import { cmd } from '../testing/commands';
import { deciderSpec } from '../testing/given-when-then';

const T0 = 1_000_000;
const wf = defineWorkflow({ name: 'sla', version: 1, sla: 'PT2M', steps: { a: { type: 'x.a' } } });
const spec = deciderSpec(wf);

describe('the case SLA', () => {
  it('sets an sla timer at start + sla', async () => {
    await spec.given([]).when(cmd.start()).then((o) => {
      assert.equal((o.events[0]!.data as { slaDueAt?: number }).slaDueAt, T0 + 120_000);
      assert.deepEqual(o.timers[0], { timerId: 'c-1:sla', kind: 'sla', dueAt: T0 + 120_000 });
    });
  });

  it('counts a breach once when the timer fires while the case is open, and does not stop the case', async () => {
    const history = await spec.run([cmd.start()]);
    const breached = await spec.given(history).when(cmd.timer('c-1', 'sla'), { now: T0 + 120_000 }).then([
      { type: 'SlaBreached', data: { slaDueAt: T0 + 120_000, breachedAt: T0 + 120_000 } },
    ]);
    assert.equal(breached.after.slaBreached, true);
    assert.equal(breached.after.status, 'running');
    await spec.given([...history, ...breached.events]).when(cmd.timer('c-1', 'sla'), { now: T0 + 130_000 }).then([]);
  });

  it('does not count a breach for a case that ended in time', async () => {
    const history = await spec.run([cmd.start(), cmd.completed('a', 1)]);
    await spec.given(history).when(cmd.timer('c-1', 'sla'), { now: T0 + 120_000 }).then([]);
  });
});
