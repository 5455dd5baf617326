/**
 * The main job: inbox triage over real emails, end to end (or, with --workflow, a step team's workflow: flows.ts). Starts the orchestrator, the gateway
 * and the triage step services; registers the inbox-triage workflow; sends N held-out corpus
 * emails, half on the Kafka trigger topic and half through HTTP; answers review tasks as a
 * scripted reviewer; waits for every case; prints a summary and one case's trace; then stops what
 * it started (unless --keep: then three more uncertain emails are left in the review inbox for a
 * person, and the console's URL is printed).
 *   npm start [-- --cases 200] [--keep]      (tools/main.sh starts Kafka and PostgreSQL first)
 *   npm start -- --workflow demand-gen [--kill-steps 5]   a step team's workflow (flows.ts), its service SIGKILLed 5 times
 *   npm start -- --stop                      stops services a --keep run left running
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { caseIdFor, ContractNames, loadContracts, topicNames } from '@baton/contracts';
import { createKafka, MessageProducer } from '@baton/kafka';
import { heldOutCorpus } from '../../services/triage-steps/src/corpus/corpus';
import { devIssuerDir, GatewayClient } from './api';
import { sample, type LabelledEmail } from './emails';
import { leaveForReview } from './left-for-review';
import { ScriptedReviewer } from './reviewer';
import { startService, stopServices } from './stack';
import { formatSummary, summarize, type CaseOutcome } from './summary';
import { runFlow, type FlowSpec } from './flows';
import { demandGen } from './demand-flow';
import { leadToContract } from './lead-flow';

/** The step teams' workflows besides inbox triage, by `--workflow` name. */
const FLOWS: Readonly<Record<string, FlowSpec>> = { 'lead-to-contract': leadToContract, 'demand-gen': demandGen };

const root = resolve(__dirname, '../..');
const WORKFLOW = 'inbox-triage';

interface Options { cases: number; keep: boolean; stop: boolean; namespace: string; gatewayPort: number; timeoutS: number; workflow: string; killSteps: number }

interface Sent { caseId: string; email: LabelledEmail; door: 'kafka' | 'http'; sentAt: number }

async function main(o: Options): Promise<void> {
  if (o.stop) {
    console.log(`stopped: ${(await stopServices()).join(', ') || 'nothing was running'}`);
    return;
  }
  if (o.killSteps && o.workflow === WORKFLOW) throw new Error(`--kill-steps: only with --workflow ${Object.keys(FLOWS).join(' or ')} (the kill test of inbox triage's kind is crash-recovery.e2e.spec.ts)`);
  if (o.workflow !== WORKFLOW) {
    const flow = FLOWS[o.workflow];
    if (!flow) throw new Error(`--workflow: unknown workflow '${o.workflow}' (known: ${[WORKFLOW, ...Object.keys(FLOWS)].join(', ')})`);
    return runFlow(flow, o);
  }
  await stopServices();
  const home = join(process.env.BATON_HOME ?? join(root, '.baton'), 'main-job');
  const env = { BATON_TOPIC_NAMESPACE: o.namespace, BATON_NOTIFY_DIR: join(home, 'notifications'), BATON_QUARANTINE_DIR: join(home, 'quarantine') };
  const t0 = Date.now();
  console.log('main job: starting the orchestrator, the triage step services and the gateway...');
  await startService('orchestrator', 'services/orchestrator/src/main.ts', { ...env, PORT: process.env.BATON_ORCHESTRATOR_PORT ?? '3001' });
  await startService('steps', 'services/triage-steps/src/main.ts', { ...env, PORT: process.env.BATON_STEPS_PORT ?? '3100' });
  await startService('gateway', 'services/gateway/src/main.ts', { ...env, PORT: String(o.gatewayPort), BATON_DEV_ISSUER_DIR: devIssuerDir(root) });
  console.log(`main job: services ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (logs in .baton/run/)`);
  const api = new GatewayClient(`http://127.0.0.1:${o.gatewayPort}`);
  await api.login();
  const kafka = createKafka({ clientId: 'baton-main-job' });
  const producer = new MessageProducer(kafka);
  let reviewer: ScriptedReviewer | null = null;
  try {
    await api.request('PUT', '/workflows', readFileSync(join(root, 'services/triage-steps/workflows/inbox-triage.yaml'), 'utf8'), 'application/yaml');
    const emails = sample(heldOutCorpus().map((e) => ({ id: e.id, raw: e.raw, label: e.label })), o.cases);
    console.log(`main job: ${emails.length} held-out emails (${emails.filter((e) => e.label === 'spam').length} spam, ${emails.filter((e) => e.label === 'ham').length} ham), half via Kafka, half via HTTP`);
    const runId = randomUUID().slice(0, 8);
    const labels = new Map<string, 'spam' | 'ham'>();
    reviewer = new ScriptedReviewer(api, labels);
    const started = Date.now();
    const sent = await send(emails, runId, api, producer, o.namespace, labels);
    reviewer.start();
    const outcomes = await waitForCases(api, sent, reviewer, o.timeoutS * 1000);
    const wallMs = Math.max(...outcomes.map((x) => x.endedAt)) - started;
    await reviewer.stop();
    const summary = summarize(outcomes, wallMs);
    console.log(`\n${formatSummary(summary)}\n`);
    const example = outcomes.find((x) => x.reviewed && x.label === 'ham') ?? outcomes.find((x) => x.routed === 'ham') ?? outcomes[0];
    if (example) {
      console.log(`trace of case ${example.caseId} (${example.label}${example.reviewed ? ', reviewed' : ''}):`);
      const trace = spawnSync(process.execPath, ['-r', '@swc-node/register', 'services/cli/src/main.ts', 'trace', example.caseId], {
        cwd: root, encoding: 'utf8', env: { ...process.env, BATON_URL: api.baseUrl, BATON_TOKEN: api.token, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
      });
      console.log(trace.stdout || trace.stderr);
      console.log(`notifications: ${env.BATON_NOTIFY_DIR}/ (one JSON file per case)`);
    }
    if (summary.completed + summary.failed < summary.cases) process.exitCode = 1;
    if (o.keep) {
      const left = await leaveForReview(api, WORKFLOW, runId, 3);
      console.log(`main job: --keep: ${left.length} more cases wait for a person: ${api.baseUrl}/console/#/inbox`);
    }
  } finally {
    await reviewer?.stop();
    await producer.disconnect();
    if (o.keep) {
      console.log(`main job: --keep: the services stay up. Console ${api.baseUrl}/console/  (open it in a browser: cases, review tasks, workflows)`);
      console.log(`  gateway ${api.baseUrl} (OpenAPI at /docs); try:`);
      console.log(`  BATON_URL=${api.baseUrl} npm run --silent baton -- login --dev     (a development token, saved for the next commands)`);
      console.log(`  BATON_URL=${api.baseUrl} npm run --silent baton -- cases --workflow ${WORKFLOW}`);
      console.log('  npm start -- --stop            (stops the services)   npm run infra -- down   (stops Kafka and PostgreSQL)');
    } else {
      await stopServices();
      console.log('main job: stopped the services it started');
    }
  }
}

/** Sends every email: even ones as TriggerCase messages on Kafka, odd ones with POST /cases. */
async function send(emails: LabelledEmail[], runId: string, api: GatewayClient, producer: MessageProducer, namespace: string, labels: Map<string, 'spam' | 'ham'>): Promise<Sent[]> {
  const catalog = loadContracts();
  const topics = topicNames(namespace);
  const sent: Sent[] = [];
  const kafkaMessages = [];
  for (const [i, email] of emails.entries()) {
    const key = `${runId}:${email.id}`;
    const input = { messageId: email.id, raw: email.raw, receivedAt: Date.now(), mailbox: 'main-job' };
    if (i % 2 === 0) {
      const triggerId = randomUUID();
      const caseId = caseIdFor({ workflow: WORKFLOW, key, triggerId });
      kafkaMessages.push({
        topic: topics.triggers, key: caseId,
        value: catalog.encode(ContractNames.TriggerCase, { triggerId, workflow: WORKFLOW, version: null, key, input: catalog.encode(ContractNames.InboxMessage, input), source: 'kafka', correlationId: runId, requestedAt: Date.now() }),
      });
      sent.push({ caseId, email, door: 'kafka', sentAt: Date.now() });
      labels.set(caseId, email.label);
    } else {
      const { caseId } = await api.request<{ caseId: string }>('POST', '/cases', { workflow: WORKFLOW, input, key });
      sent.push({ caseId, email, door: 'http', sentAt: Date.now() });
      labels.set(caseId, email.label);
    }
  }
  await producer.send(kafkaMessages);
  return sent;
}

interface Ended extends CaseOutcome { endedAt: number }

/** Polls each case until it ended or `timeoutMs` passed; a case that did not end counts with its last status. */
async function waitForCases(api: GatewayClient, sent: Sent[], reviewer: ScriptedReviewer, timeoutMs: number): Promise<Ended[]> {
  const done = new Map<string, Ended>();
  const until = Date.now() + timeoutMs;
  let last = '';
  while (done.size < sent.length && Date.now() < until) {
    const pending = sent.filter((s) => !done.has(s.caseId));
    for (let i = 0; i < pending.length; i += 20) {
      await Promise.all(pending.slice(i, i + 20).map(async (s) => {
        const c = await api.request<{ summary: { status: string; finishedAt: string | null; steps: Record<string, { status: string }> } }>('GET', `/cases/${s.caseId}`).catch(() => null);
        if (!c || !['completed', 'failed', 'cancelled'].includes(c.summary.status)) return;
        done.set(s.caseId, outcome(s, c.summary, reviewer));
      }));
    }
    const progress = `main job: ${done.size}/${sent.length} cases ended, ${reviewer.reviewed.size} reviewed`;
    if (progress !== last) { console.log(progress); last = progress; }
    if (done.size < sent.length) await new Promise((r) => setTimeout(r, 500));
  }
  return sent.map((s) => done.get(s.caseId) ?? { caseId: s.caseId, label: s.email.label, door: s.door, status: 'not ended', routed: 'none', reviewed: false, latencyMs: null, endedAt: Date.now() });
}

function outcome(s: Sent, summary: { status: string; finishedAt: string | null; steps: Record<string, { status: string }> }, reviewer: ScriptedReviewer): Ended {
  const endedAt = summary.finishedAt ? Date.parse(summary.finishedAt) : Date.now();
  const routed = summary.steps.quarantine?.status === 'completed' ? 'spam' : summary.steps.reply?.status === 'completed' || summary.steps.reply?.status === 'fallen-back' ? 'ham' : 'none';
  return { caseId: s.caseId, label: s.email.label, door: s.door, status: summary.status, routed, reviewed: reviewer.reviewedCases().has(s.caseId), latencyMs: endedAt - s.sentAt, endedAt };
}

const program = new Command('main-job')
  .option('--workflow <name>', 'inbox-triage, lead-to-contract or demand-gen', WORKFLOW)
  .option('--cases <n>', 'cases to start (emails, leads, campaigns)', (v) => Number.parseInt(v, 10), 200)
  .option('--keep', 'leave the services running afterwards', false)
  .option('--stop', 'stop services a --keep run left running', false)
  .option('--namespace <ns>', 'topic namespace', process.env.BATON_TOPIC_NAMESPACE ?? '')
  .option('--gateway-port <port>', 'the gateway HTTP port', (v) => Number.parseInt(v, 10), Number(process.env.BATON_GATEWAY_PORT ?? 3000))
  .option('--timeout-s <s>', 'how long to wait for the cases', (v) => Number.parseInt(v, 10), 600)
  .option('--kill-steps <n>', "SIGKILL the step team's service n times while cases run (with --workflow lead-to-contract or demand-gen)", (v) => Number.parseInt(v, 10), 0);
program.parse();
main(program.opts<Options>()).catch((error: unknown) => {
  console.error(`main job: ${(error as Error).message}`);
  process.exitCode = 1;
  void stopServices().finally(() => process.exit(1));
});
