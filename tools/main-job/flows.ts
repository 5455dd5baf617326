/**
 * The main job of a step team's workflow (lead-to-contract, demand-gen): starts the orchestrator
 * and the gateway, then the team's step service (which publishes its contracts to the registry at
 * start), registers the case input record and the workflow, starts N cases over HTTP, approves
 * every review task of the workflow's queue as a scripted person, waits for every case, prints the
 * team's summary, the effects the team's `writeOnce` journals show (each applied once per key?) and
 * one case's trace, and stops what it started (unless --keep). With `--kill-steps N` the team's
 * service is SIGKILLed N times while cases run, and restarted as a supervisor would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { latencySummary } from '@baton/observability';
import { devIssuerDir, GatewayClient } from './api';
import { startService, stopServices, type RunningService } from './stack';

const root = resolve(__dirname, '../..');

/** A case's summary as `GET /cases/{id}` answers it (the fields the main job reads). */
export interface CaseSummary { status: string; finishedAt: string | null; steps: Record<string, { status: string; attempt: number }> }

/** One workflow a step team ships, as the main job runs it. */
export interface FlowSpec {
  workflow: string;
  /** The team's step service entry, its workflow YAML and its case input record's .avsc, from the repository root. */
  service: string;
  yaml: string;
  inputSchema: string;
  /** The review queue the scripted person approves. */
  queue: string;
  /** The environment of the team's service (effects folder, injected faults). */
  env: (home: string) => NodeJS.ProcessEnv;
  /** The case inputs, with the key of each. */
  inputs: (n: number) => { key: string; input: unknown }[];
  /** The team's summary lines; `home` holds the effects. */
  summary: (cases: { caseId: string; summary: CaseSummary; latencyMs: number }[], home: string) => string[];
  /** Which case's trace to print. */
  pickTrace: (cases: { caseId: string; summary: CaseSummary }[]) => string | undefined;
}

/** What the main job takes from the command line. */
export interface FlowOptions {
  cases: number; keep: boolean; namespace: string; gatewayPort: number; timeoutS: number;
  /** SIGKILLs of the team's step service while cases run (0: none). */
  killSteps?: number;
}

/** Runs `spec` end to end; sets `process.exitCode` to 1 when a case did not end. */
export async function runFlow(spec: FlowSpec, o: FlowOptions): Promise<void> {
  await stopServices();
  const home = join(process.env.BATON_HOME ?? join(root, '.baton'), 'main-job', spec.workflow);
  rmSync(join(home, 'effects'), { recursive: true, force: true }); // this run's effects only: the summary counts them
  const base = { BATON_TOPIC_NAMESPACE: o.namespace };
  const api = new GatewayClient(`http://127.0.0.1:${o.gatewayPort}`);
  const t0 = Date.now();
  console.log(`main job (${spec.workflow}): starting the orchestrator, the gateway and ${spec.service}...`);
  await startService('orchestrator', 'services/orchestrator/src/main.ts', { ...base, PORT: process.env.BATON_ORCHESTRATOR_PORT ?? '3001' });
  await startService('gateway', 'services/gateway/src/main.ts', { ...base, PORT: String(o.gatewayPort), BATON_DEV_ISSUER_DIR: devIssuerDir(root) });
  await api.login();
  const registryToken = await new GatewayClient(api.baseUrl).login(`${spec.workflow}-steps`, ['admin']);
  const startSteps = () => startService('steps', spec.service, { ...base, ...spec.env(home), PORT: process.env.BATON_STEPS_PORT ?? '3100', BATON_REGISTRY_URL: api.baseUrl, BATON_REGISTRY_TOKEN: registryToken });
  let steps: RunningService = await startSteps();
  console.log(`main job: services ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (logs in .baton/run/)`);
  let approving = true;
  const approved = new Set<string>();
  const approver = (async () => {
    while (approving) {
      const tasks = await api.request<{ taskId: string }[] | { items: { taskId: string }[] }>('GET', `/tasks?queue=${encodeURIComponent(spec.queue)}&status=open`).catch(() => []);
      for (const t of Array.isArray(tasks) ? tasks : tasks.items) {
        if (approved.has(t.taskId)) continue;
        await api.request('POST', `/tasks/${encodeURIComponent(t.taskId)}/decision`, { decision: 'approve', comment: 'scripted reviewer', reviewer: 'main-job' }).catch(() => undefined);
        approved.add(t.taskId);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    const schema = readFileSync(join(root, spec.inputSchema), 'utf8');
    const subject = `${(JSON.parse(schema) as { namespace: string }).namespace}.${(JSON.parse(schema) as { name: string }).name}`;
    await api.request('POST', `/subjects/${subject}/versions`, { schema }, 'application/vnd.schemaregistry.v1+json');
    await api.request('PUT', '/workflows', readFileSync(join(root, spec.yaml), 'utf8'), 'application/yaml');
    const runId = Math.random().toString(36).slice(2, 8);
    const sent: { caseId: string; sentAt: number }[] = [];
    for (const { key, input } of spec.inputs(o.cases)) {
      const { caseId } = await api.request<{ caseId: string }>('POST', '/cases', { workflow: spec.workflow, key: `${runId}:${key}`, input });
      sent.push({ caseId, sentAt: Date.now() });
    }
    console.log(`main job: ${sent.length} cases started`);
    const ended = new Map<string, { caseId: string; summary: CaseSummary; latencyMs: number }>();
    const until = Date.now() + o.timeoutS * 1000;
    const kills = { done: 0, inFlight: [] as number[] };
    // Kill k of n when k/(n+1) of the cases have ended, so every kill finds cases in flight.
    const n = o.killSteps ?? 0;
    const killer = (async () => {
      while (kills.done < n && ended.size < sent.length && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        if (ended.size < Math.floor(((kills.done + 1) * sent.length) / (n + 1))) continue;
        kills.inFlight.push(sent.length - ended.size);
        process.kill(steps.pid, 'SIGKILL');
        kills.done++;
        steps = await startSteps();
      }
    })();
    while (ended.size < sent.length && Date.now() < until) {
      for (const s of sent.filter((x) => !ended.has(x.caseId))) {
        const c = await api.request<{ summary: CaseSummary }>('GET', `/cases/${s.caseId}`).catch(() => null);
        if (c && ['completed', 'failed', 'cancelled'].includes(c.summary.status)) {
          ended.set(s.caseId, { caseId: s.caseId, summary: c.summary, latencyMs: (c.summary.finishedAt ? Date.parse(c.summary.finishedAt) : Date.now()) - s.sentAt });
        }
      }
      if (ended.size < sent.length) await new Promise((r) => setTimeout(r, 500));
    }
    await killer;
    const cases = [...ended.values()];
    const lat = latencySummary(cases.map((c) => c.latencyMs));
    const count = (st: string) => cases.filter((c) => c.summary.status === st).length;
    console.log(`\ncases: ${sent.length}\n  completed ${count('completed')}, failed ${count('failed')}${sent.length - cases.length ? `, NOT ENDED ${sent.length - cases.length}` : ''}`);
    console.log(`review tasks approved: ${approved.size} (queue ${spec.queue})`);
    for (const line of spec.summary(cases, home)) console.log(line);
    if (o.killSteps) console.log(`step service SIGKILLed and restarted ${kills.done} times while cases ran (cases not yet ended at each kill: ${kills.inFlight.join(', ')})`);
    for (const line of effectLines(join(home, 'effects'))) console.log(line);
    console.log(`attempts per step (min..max over the cases that ran it): ${attemptRanges(cases.map((c) => c.summary)).join(', ')}`);
    console.log(`case latency (case started -> case ended): p50 ${lat.p50} ms, p95 ${lat.p95} ms, p99 ${lat.p99} ms\n`);
    const example = spec.pickTrace(cases) ?? cases[0]?.caseId;
    if (example) {
      console.log(`trace of case ${example}:`);
      const trace = spawnSync(process.execPath, ['-r', '@swc-node/register', 'services/cli/src/main.ts', 'trace', example], {
        cwd: root, encoding: 'utf8', env: { ...process.env, BATON_URL: api.baseUrl, BATON_TOKEN: api.token, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
      });
      console.log(trace.stdout || trace.stderr);
    }
    console.log(`effects: ${home}`);
    if (cases.length < sent.length) process.exitCode = 1;
  } finally {
    approving = false;
    await approver;
    if (o.keep) console.log(`main job: --keep: the services stay up; gateway ${api.baseUrl}; npm start -- --stop stops them`);
    else {
      await stopServices();
      console.log('main job: stopped the services it started');
    }
  }
}

/**
 * One line per effect folder under `dir` holding a `writeOnce` journal (`applied.log`): how many
 * applications for how many keys, and how many keys were applied more than once (must be 0).
 */
export function effectLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'applied.log'))).map((d) => {
    const keys = readFileSync(join(dir, d.name, 'applied.log'), 'utf8').split('\n').filter(Boolean);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    const twice = [...counts.values()].filter((n) => n > 1).length;
    return `effect ${d.name}: ${keys.length} applications for ${counts.size} keys, ${twice} applied twice`;
  });
}

/** `step min..max` of the attempt numbers each step reached, over the cases where it ran (not skipped). */
export function attemptRanges(summaries: readonly CaseSummary[]): string[] {
  const ranges = new Map<string, [number, number]>();
  for (const s of summaries) {
    for (const [id, st] of Object.entries(s.steps)) {
      if (st.status === 'skipped') continue;
      const [lo, hi] = ranges.get(id) ?? [Infinity, 0];
      ranges.set(id, [Math.min(lo, st.attempt), Math.max(hi, st.attempt)]);
    }
  }
  return [...ranges].map(([id, [lo, hi]]) => `${id} ${lo === hi ? lo : `${lo}..${hi}`}`);
}
