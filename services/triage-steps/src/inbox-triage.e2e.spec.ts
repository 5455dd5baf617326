/**
 * The whole inbox-triage workflow with the real orchestrator and the real step services: a fresh
 * database and topic namespace; the orchestrator (services/orchestrator/src/main.ts) and two
 * independently deployed triage step services (src/main.ts with different BATON_STEP_TYPES) as
 * child processes; held-out corpus emails sent as TriggerCase messages; review tasks approved with
 * ReviewDecision signals; then the event store, the projections and the notifications file checked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseIdFor, ContractNames, loadContracts, topicNames } from '@baton/contracts';
import { DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, migrate, type EventStore } from '@baton/event-store';
import { createKafka, MessageProducer } from '@baton/kafka';
import { migrateProjections } from '@baton/projections';
import { freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { classifyText } from './classify/classify-text';
import { heldOutCorpus, type CorpusEmail } from './corpus/corpus';
import { TEMPLATE_MODEL } from './draft/template-drafter';
import { readRecords } from './files/write-once';
import { parseEmail } from './parse/parse-email';
import { loadInboxTriage } from './workflow/inbox-triage';

const catalog = loadContracts();
const WORKFLOW = 'inbox-triage';

interface Picked { email: CorpusEmail; label: 'spam' | 'ham'; confidence: number; caseId: string }

/**
 * Six held-out emails the committed model labels like the corpus does (so the branch each case takes
 * is known): three confident spams, two confident hams and one ham under the 0.8 review threshold.
 */
async function pickEmails(): Promise<Picked[]> {
  const want = [{ label: 'spam', review: false, n: 3 }, { label: 'ham', review: false, n: 2 }, { label: 'ham', review: true, n: 1 }] as const;
  const picked: Picked[] = [];
  const corpus = heldOutCorpus();
  for (const w of want) {
    let found = 0;
    for (const email of corpus) {
      if (found === w.n) break;
      if (email.label !== w.label || picked.some((p) => p.email.id === email.id)) continue;
      const parsed = await parseEmail({ raw: email.raw });
      const c = await classifyText({ subject: parsed.subject, text: parsed.text });
      if (c.label !== w.label || (w.review ? c.confidence >= 0.8 : c.confidence < 0.9)) continue;
      picked.push({ email, label: w.label, confidence: c.confidence, caseId: caseIdFor({ workflow: WORKFLOW, key: email.id, triggerId: 'unused' }) });
      found++;
    }
    assert.equal(found, w.n, `held-out ${w.label} emails${w.review ? ' under 0.8' : ''}`);
  }
  return picked;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, onTimeout?: () => Promise<string>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${onTimeout ? `\n${await onTimeout()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('inbox-triage end to end: orchestrator, step services, Kafka, Postgres', () => {
  let db: FreshDatabase;
  let store: EventStore;
  let producer: MessageProducer;
  const namespace = uniqueName('triage-e2e').replace(/[^A-Za-z0-9_-]/g, '');
  const topics = topicNames(namespace);
  const dir = mkdtempSync(join(tmpdir(), 'triage-e2e-'));
  const notifyDir = join(dir, 'notifications');
  const processes: ServiceProcess[] = [];
  let emails: Picked[];
  const reviewed = new Set<string>();

  before(async () => {
    emails = await pickEmails();
    db = await freshDatabase('triage_e2e');
    await migrate(db.url);
    await migrateDefinitions(db.url);
    await migrateProjections(db.url);
    store = await createEventStore(db.url);
    await new DefinitionRegistry(store.pool).register(loadInboxTriage());
    const brokers = kafkaBrokers().join(',');
    const orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', BATON_TIMER_POLL_MS: '50',
    });
    // Two deployments of the same image: the classification front, and everything after it.
    const stepEnv = { KAFKA_BROKERS: brokers, PORT: '0', HOST: '127.0.0.1', BATON_TOPIC_NAMESPACE: namespace, BATON_NOTIFY_DIR: notifyDir, BATON_QUARANTINE_DIR: join(dir, 'quarantine'), BATON_LLM_URL: '' };
    const front = new ServiceProcess('services/triage-steps/src/main.ts', { ...stepEnv, BATON_STEP_TYPES: 'email.parse,text.classify' });
    const back = new ServiceProcess('services/triage-steps/src/main.ts', { ...stepEnv, BATON_STEP_TYPES: 'mail.quarantine,text.entities,text.sentiment,text.draft,notify,reply.withdraw' });
    processes.push(orchestrator, front, back);
    // The orchestrator first: it creates the topics of the registered workflow.
    await orchestrator.start();
    await Promise.all([front.start(), back.start()]);
    producer = new MessageProducer(createKafka({ clientId: `${namespace}-test`, brokers: kafkaBrokers() }));
    await producer.connect();
  });

  after(async () => {
    await producer?.disconnect();
    for (const p of processes.reverse()) await p.stop();
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('triages six held-out emails: spam quarantined, ham answered, a person asked when unsure, one notification per case', async () => {
    await producer.send(emails.map((p) => {
        const triggerId = randomUUID();
        const input = catalog.encode('baton.examples.InboxMessage', { messageId: p.email.id, raw: p.email.raw, receivedAt: Date.now(), mailbox: 'support@example.com' });
        return {
          topic: topics.triggers,
          key: p.caseId,
          value: catalog.encode(ContractNames.TriggerCase, {
            triggerId, workflow: WORKFLOW, version: null, key: p.email.id, input, source: 'kafka', correlationId: null, requestedAt: Date.now(),
          }),
        };
      }));

    const caseIds = emails.map((p) => p.caseId);
    const ended = async () => (await store.pool.query<{ stream_id: string; event_type: string; data: unknown }>(
      `SELECT stream_id, event_type, data FROM events WHERE stream_id = ANY($1) AND event_type IN ('CaseCompleted', 'CaseFailed', 'CaseCancelled')`, [caseIds])).rows;
    const diagnostics = async () => {
      const open = await store.pool.query(`SELECT stream_id, array_agg(event_type ORDER BY stream_position) AS events FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`, [caseIds]);
      return `${JSON.stringify(open.rows)}\n${processes.map((p) => p.log.slice(-2000)).join('\n---\n')}`;
    };
    await waitFor(async () => {
      // The task inbox: approve every open task, once.
      const open = await store.pool.query<{ task_id: string; case_id: string }>(`SELECT task_id, case_id FROM human_tasks WHERE status = 'open' AND case_id = ANY($1)`, [caseIds]);
      for (const t of open.rows.filter((r) => !reviewed.has(r.task_id))) {
        reviewed.add(t.task_id);
        await producer.send([{
          topic: topics.signals,
          key: t.case_id,
            value: catalog.encode(ContractNames.ReviewDecision, {
            signalId: randomUUID(), caseId: t.case_id, taskId: t.task_id, decision: 'APPROVE', output: null, comment: 'looks right', reviewer: 'e2e-reviewer', decidedAt: Date.now(),
          }),
        }]);
      }
      const done = await ended();
      const failed = done.filter((r) => r.event_type !== 'CaseCompleted');
      if (failed.length) throw new Error(`cases did not complete: ${JSON.stringify(failed)}\n${await diagnostics()}`);
      return done.length === caseIds.length ? done : undefined;
    }, `all ${caseIds.length} cases to complete`, 120_000, diagnostics);

    // The projector follows the event store asynchronously: wait until it has seen every case end.
    await waitFor(async () => {
      const r = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM case_summary WHERE case_id = ANY($1) AND status = 'completed'`, [caseIds]);
      return Number(r.rows[0]!.n) === caseIds.length ? true : undefined;
    }, 'the projections to show every case completed', 30_000);

    const history = async (caseId: string) => (await store.pool.query<{ event_type: string; data: Record<string, unknown> }>(
      'SELECT event_type, data FROM events WHERE stream_id = $1 ORDER BY stream_position', [caseId])).rows;
    const position = (events: { event_type: string; data: Record<string, unknown> }[], type: string, stepId: string) =>
      events.findIndex((e) => e.event_type === type && e.data.stepId === stepId);

    for (const p of emails) {
      const events = await history(p.caseId);
      const scheduled = events.filter((e) => e.event_type === 'StepScheduled').map((e) => e.data.stepId);
      const skipped = events.filter((e) => e.event_type === 'StepSkipped').map((e) => e.data.stepId).sort();
      if (p.label === 'spam') {
        assert.deepEqual(scheduled, ['parse', 'classify', 'quarantine', 'notify'], `${p.email.id}: the spam steps`);
        assert.deepEqual(skipped, ['entities', 'reply', 'sentiment'], `${p.email.id}: the ham branch skipped`);
      } else {
        assert.deepEqual(scheduled.slice(0, 2), ['parse', 'classify']);
        assert.deepEqual(scheduled.slice(2, 4).sort(), ['entities', 'sentiment']);
        assert.deepEqual(scheduled.slice(4), ['reply', 'notify'], `${p.email.id}: the ham steps`);
        assert.deepEqual(skipped, ['quarantine'], `${p.email.id}: the spam branch skipped`);
        // In parallel: both were dispatched before either finished; the reply only after both.
        const firstDone = Math.min(position(events, 'StepCompleted', 'entities'), position(events, 'StepCompleted', 'sentiment'));
        const lastDone = Math.max(position(events, 'StepCompleted', 'entities'), position(events, 'StepCompleted', 'sentiment'));
        assert.ok(position(events, 'StepScheduled', 'entities') < firstDone && position(events, 'StepScheduled', 'sentiment') < firstDone, `${p.email.id}: entities and sentiment in parallel`);
        assert.ok(position(events, 'StepScheduled', 'reply') > lastDone, `${p.email.id}: the reply after both`);
      }
      const reviews = events.filter((e) => e.event_type === 'ReviewRequested').length;
      assert.equal(reviews, p.confidence < 0.8 ? 1 : 0, `${p.email.id} (confidence ${p.confidence.toFixed(3)}): review requested`);
    }

    const tasks = await store.pool.query<{ case_id: string; queue: string; status: string; decision: string; reviewer: string }>(
      'SELECT case_id, queue, status, decision, reviewer FROM human_tasks WHERE case_id = ANY($1)', [caseIds]);
    assert.deepEqual(tasks.rows.map((t) => ({ ...t })), emails.filter((p) => p.confidence < 0.8).map((p) => ({ case_id: p.caseId, queue: 'triage', status: 'decided', decision: 'approve', reviewer: 'e2e-reviewer' })));

    assert.ok(existsSync(notifyDir), 'the notifications folder was written');
    const lines = await readRecords(notifyDir);
    assert.equal(lines.length, emails.length, 'one record per case');
    for (const p of emails) {
      const line = lines.find((l) => l.caseId === p.caseId);
      assert.ok(line, `a notification for ${p.email.id}`);
      assert.deepEqual(line, {
        caseId: p.caseId, messageId: p.email.id, subject: line.subject, label: p.label, confidence: line.confidence,
        reviewed: p.confidence < 0.8, quarantined: p.label === 'spam', replyDrafted: p.label === 'ham', replyModel: p.label === 'ham' ? TEMPLATE_MODEL : null,
      });
      assert.ok(Math.abs((line.confidence as number) - p.confidence) < 1e-9, 'the confidence the step service computed');
    }

    const quarantined = readdirSync(join(dir, 'quarantine')).map((f) => JSON.parse(readFileSync(join(dir, 'quarantine', f), 'utf8')) as { caseId: string; messageId: string | null; reason: string });
    assert.deepEqual(quarantined.map((q) => q.caseId).sort(), emails.filter((p) => p.label === 'spam').map((p) => p.caseId).sort(), 'one quarantine record per spam case');
    for (const q of quarantined) assert.match(q.reason, /^classified as spam with confidence \d\.\d{3}$/);

    const metering = await store.pool.query<{ case_id: string; step_id: string; status: string; model: string; model_version: string | null; input_tokens: number; output_tokens: number; cost_usd: string }>(
      `SELECT case_id, step_id, status, model, model_version, input_tokens, output_tokens, cost_usd FROM step_executions
       WHERE case_id = ANY($1) AND step_id IN ('classify', 'reply') ORDER BY case_id, step_id`, [caseIds]);
    const drafts = metering.rows.filter((r) => r.step_id === 'reply');
    assert.equal(drafts.length, emails.filter((p) => p.label === 'ham').length);
    for (const d of drafts) {
      assert.equal(d.status, 'completed');
      assert.equal(d.model, TEMPLATE_MODEL);
      assert.ok(d.input_tokens > 0 && d.output_tokens > 0, `tokens recorded: ${d.input_tokens} in, ${d.output_tokens} out`);
      assert.equal(Number(d.cost_usd), 0);
    }
    const classifications = metering.rows.filter((r) => r.step_id === 'classify');
    assert.equal(classifications.length, emails.length);
    for (const c of classifications) {
      assert.equal(c.model, 'natural-bayes');
      assert.match(c.model_version ?? '', /^[0-9a-f]{12}$/);
      assert.equal(c.input_tokens, 0);
    }
    console.log(`inbox-triage e2e: ${JSON.stringify(emails.map((p) => ({ id: p.email.id, label: p.label, confidence: Number(p.confidence.toFixed(3)) })))}`);
  });
});
