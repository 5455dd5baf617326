import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batonLatencies, type CaseEventRow } from './measure';
import { computeRatios, type PhaseResult } from './report';
import { summarize } from './stats';

/** The events of one case whose every step takes 10 ms, scheduled the moment its needs completed. */
function caseEvents(caseId: string, t0: number): CaseEventRow[] {
  const e = (type: string, data: Record<string, unknown>): CaseEventRow => ({ caseId, type, data });
  const step = (stepId: string, at: number) => [
    e('StepScheduled', { stepId, attempt: 1, scheduledAt: at }), e('StepCompleted', { stepId, attempt: 1, completedAt: at + 10 })];
  return [
    e('CaseStarted', { startedAt: t0 + 5 }), ...step('a', t0 + 5), ...step('b', t0 + 15), ...step('c', t0 + 25),
    ...step('d', t0 + 35), ...step('e', t0 + 35), e('CaseCompleted', { completedAt: t0 + 45 }),
  ];
}

describe('benchmark measurements', () => {
  it('derives case latency, step hops, legs and throughput from the events and the worker times', () => {
    const figures = batonLatencies({
      caseIds: ['c1', 'c2'],
      requestedAt: new Map([['c1', 1000], ['c2', 1000]]),
      events: [...caseEvents('c1', 1000), ...caseEvents('c2', 1000)],
      handled: [['c1', 'a', 1, 1009], ['c2', 'a', 1, 1011]],
      publishedAt: new Map([['c1:a:1', 1007]]),
    });
    assert.deepEqual([figures.relayLegMs.p50, figures.deliveryLegMs.p50], [2, 2]);
    assert.equal(figures.completed, 2);
    assert.equal(figures.caseLatencyMs.p50, 45);
    assert.equal(figures.triggerToStartMs.p50, 5);
    assert.equal(figures.dispatchToResultMs.count, 10);
    assert.equal(figures.dispatchToResultMs.p99, 10);
    assert.equal(figures.completedToNextScheduledMs.count, 8);
    assert.equal(figures.completedToNextScheduledMs.max, 0);
    assert.deepEqual([figures.dispatchLegMs.p50, figures.dispatchLegMs.max], [4, 6]);
    assert.deepEqual([figures.resultLegMs.p50, figures.resultLegMs.max], [4, 6]);
    assert.equal(figures.casesPerSecond, 44.4); // 2 cases from 1000 to 1045 ms
  });

  it('reads the headline ratios as Baton over the baseline', () => {
    const phase = (kind: PhaseResult['kind'], batonHop: number, rawTrip: number, batonRate: number, rawRate: number): PhaseResult => ({
      kind, cases: 1, ratePerSecond: null,
      baton: {
        ...batonLatencies({ caseIds: [], requestedAt: new Map(), events: [], handled: [] }),
        casesPerSecond: batonRate, caseLatencyMs: summarize([4 * batonHop]), dispatchToResultMs: summarize([batonHop]), timedOut: false,
        resources: { orchestratorCpuSeconds: 1, workerCpuSeconds: 1, postgresCpuSeconds: 1, orchestratorCpuMsPerCase: 6, workerCpuMsPerCase: 2, postgresCpuMsPerCase: 5, drainSeconds: 0 },
      },
      raw: {
        cases: 1, casesPerSecond: rawRate, roundTripsPerSecond: 5 * rawRate, caseLatencyMs: summarize([4 * rawTrip]), roundTripMs: summarize([rawTrip]),
        resources: { originatorCpuSeconds: 1, echoCpuSeconds: 1, cpuMsPerCase: 2 },
      },
    });
    const r = computeRatios(phase('burst', 100, 50, 40, 160), phase('paced', 12, 3, 10, 10));
    assert.equal(r.hopLatencyP50, 4);
    assert.equal(r.hopOverheadMsP50, 9);
    assert.equal(r.caseLatencyP50, 4);
    assert.equal(r.caseVsKafkaFloorP50, 4);
    assert.equal(r.throughput, 4);
    assert.equal(r.cpuPerCase, 4);
  });
});
