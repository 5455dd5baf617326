import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadContracts, topicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { kafkaBrokers, ServiceProcess, uniqueName } from '@baton/testing';
import { RequestSender, ResultLog, stepRequest } from './testing/step-kit';

/*
 * SIGTERM on a step service built on the SDK (the crash test's, each attempt 100-600 ms, 8 at
 * once) while it works through a backlog: it finishes the attempts in hand, publishes their
 * results, commits, and exits on its own; the next process of the same group is handed none of
 * them again. Each request must have exactly one result: the new process has no memory of what
 * the old one ran, so a redelivered request would show as a second result.
 */
describe('a step service stopped with SIGTERM, against a real broker', () => {
  const kafka = createKafka({ clientId: 'sigterm-test', brokers: kafkaBrokers() });
  const catalog = loadContracts();
  const namespace = uniqueName('sigterm').replace(/[^A-Za-z0-9_-]/g, '');
  const topics = topicNames(namespace);
  const env = { KAFKA_BROKERS: kafkaBrokers().join(','), BATON_TOPIC_NAMESPACE: namespace, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000' };
  const sender = new RequestSender(kafka, catalog, topics);
  const results = new ResultLog(kafka, catalog, topics.stepResults);
  const services: ServiceProcess[] = [];

  before(async () => {
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop'), topics.stepResults]));
    await sender.connect();
    await results.start();
  });

  after(async () => {
    for (const s of services) await s.kill();
    await results.stop();
    await sender.disconnect();
  });

  it('finishes and commits the attempts in hand: no request runs twice across the restart', async () => {
    const n = 80;
    const requests = Array.from({ length: n }, (_, i) => stepRequest(catalog, 'noop', { n: i }, { stepId: 'validate' }));
    for (const r of requests.slice(0, n / 2)) await sender.send(r);
    const first = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', env);
    services.push(first);
    await first.start();
    await results.waitFor(() => results.seen.length >= 8, 'the first process to publish some results', 60_000);
    // The second half arrives while the first batches are in hand: the stop leaves it unfetched.
    for (const r of requests.slice(n / 2)) await sender.send(r);
    await first.stop();
    assert.equal(first.child!.signalCode === 'SIGKILL', false, `the service did not stop on SIGTERM within 10 s:\n${first.log.slice(-2000)}`);
    const afterFirst = results.seen.length;
    assert.ok(afterFirst < n, `the stop came while requests were left (${afterFirst} of ${n} done)`);
    const second = new ServiceProcess('services/orchestrator/src/testing/crash-steps.ts', env);
    services.push(second);
    await second.start();
    const ids = new Set(requests.map((r) => r.caseId));
    await results.waitFor(() => new Set(results.seen.map((s) => s.value.caseId).filter((c) => ids.has(c))).size === n, 'a result for every request', 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // room for a redelivered request to show
    const perCase = new Map<string, number>();
    for (const s of results.seen) perCase.set(s.value.caseId, (perCase.get(s.value.caseId) ?? 0) + 1);
    const twice = [...perCase].filter(([, count]) => count > 1).map(([c]) => c);
    assert.deepEqual(twice, [], `requests run twice across the SIGTERM restart (${afterFirst} results before it)`);
  });
});
