import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadContracts, topicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, loseTimers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { TestStepWorker } from '@baton/step-testing';
import { Pool } from 'pg';

const root = resolve(__dirname, '../../..');

const definition = `
name: cli-demo
version: 1
input: baton.steps.noop.Input
steps:
  fetch: { type: noop }
  enrich: { type: noop, needs: [fetch] }
  score: { type: noop, needs: [fetch] }
  archive: { type: noop, needs: [score], when: "case.input.n > 100" }
  finish: { type: noop, needs: [enrich, score, archive] }
`;

describe('the baton CLI against a running gateway', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let worker: TestStepWorker;
  let baseUrl = '';
  let dir = '';
  let issuer: Awaited<ReturnType<typeof devIssuer>>;

  /** Runs `baton <args>`; resolves with its exit code and output. */
  function baton(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return batonWith({}, ...args);
  }

  /** Runs `baton <args>` with `env` added (`BATON_TOKEN`, ...). */
  function batonWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((done) => {
      execFile(process.execPath, ['-r', '@swc-node/register', 'services/cli/src/main.ts', ...args], {
        cwd: root, env: { ...process.env, BATON_URL: baseUrl, BATON_HOME: dir, BATON_TOKEN: '', SWC_NODE_PROJECT: join(root, 'tsconfig.json'), NO_COLOR: '1', ...env },
      }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
  }

  before(async () => {
    db = await freshDatabase('cli');
    const namespace = uniqueName('cli').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    await orchestrator.start();
    const port = await freePort();
    issuer = await devIssuer();
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env });
    await gateway.start();
    baseUrl = `http://127.0.0.1:${port}`;
    const kafka = createKafka({ clientId: `${namespace}-worker`, brokers: kafkaBrokers() });
    const topics = topicNames(namespace);
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop')]));
    worker = new TestStepWorker(kafka, loadContracts(), topics, ['noop'], (r) => (r.stepId === 'wait' ? 'silence' : { output: { ok: true } }));
    await worker.start();
    dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    writeFileSync(join(dir, 'demo.yaml'), definition);
    writeFileSync(join(dir, 'hold.yaml'), 'name: cli-hold\nversion: 1\ninput: baton.steps.noop.Input\nsteps:\n  wait: { type: noop, timeout: PT120S }\n');
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nversion: 1\nsteps:\n  a: { type: noop, needs: [ghost] }\n  b: { type: noop, when: "((" }\n');
    writeFileSync(join(dir, 'input.json'), '{"n": 7}');
    const login = await baton('login', '--dev', '--subject', 'cli-test');
    assert.equal(login.code, 0, login.stderr);
  });

  after(async () => {
    await worker?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends no credential before a login (a 401 line), the saved one after `login --dev`, and BATON_TOKEN over it (a viewer may not start: 403)', async () => {
    const anonymous = await batonWith({ BATON_HOME: mkdtempSync(join(tmpdir(), 'baton-cli-anon-')) }, 'cases');
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /Authentication required: .*bearer token/);
    assert.match(anonymous.stderr, /baton login --dev/);
    const listed = await baton('cases', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const viewer = await issuer.token({ subject: 'cli-viewer', roles: ['viewer'] });
    const refused = await batonWith({ BATON_TOKEN: viewer }, 'start', 'cli-demo', '--input', '{"n": 1}');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /403|Forbidden/);
    assert.match(refused.stderr, /starter:cli-demo/);
  });

  it('validates definitions locally, printing one line per issue', async () => {
    const ok = await baton('workflow', 'validate', join(dir, 'demo.yaml'));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ok: cli-demo v1, 5 steps/);
    const bad = await baton('workflow', 'validate', join(dir, 'broken.yaml'));
    assert.equal(bad.code, 1);
    assert.deepEqual(bad.stderr.trim().split('\n').map((l) => l.split(':')[0]), ['steps.a.needs', 'steps.b.when']);
  });

  it('registers a definition and draws it', async () => {
    const reg = await baton('workflow', 'register', join(dir, 'demo.yaml'));
    assert.equal(reg.code, 0, reg.stderr);
    assert.match(reg.stdout, /^registered: cli-demo v1/);
    assert.match((await baton('workflow', 'register', join(dir, 'demo.yaml'))).stdout, /^already registered/);
    const graph = await baton('workflow', 'graph', 'cli-demo');
    assert.equal(graph.code, 0, graph.stderr);
    assert.match(graph.stdout, /^flowchart TD\n/);
    assert.equal((await baton('workflow', 'graph', join(dir, 'demo.yaml'))).stdout, graph.stdout);
  });

  it('starts a case, shows it, and draws its trace with a row for every step', async () => {
    const started = await baton('start', 'cli-demo', '--input', `@${join(dir, 'input.json')}`, '--key', 'cli-1');
    assert.equal(started.code, 0, started.stderr);
    const caseId = /case ([0-9a-f-]{36})/.exec(started.stdout)?.[1];
    assert.ok(caseId, started.stdout);
    const until = Date.now() + 30000;
    let shown = await baton('case', caseId, '--json');
    while (Date.now() < until && (shown.code !== 0 || JSON.parse(shown.stdout).summary.status !== 'completed')) {
      await new Promise((r) => setTimeout(r, 200));
      shown = await baton('case', caseId, '--json');
    }
    assert.equal(JSON.parse(shown.stdout).summary.status, 'completed');
    const text = await baton('case', caseId);
    assert.match(text.stdout, /status {4}completed/);
    assert.match(text.stdout, /skipped {3}archive/);
    const trace = await baton('trace', caseId);
    assert.equal(trace.code, 0, trace.stderr);
    const lines = trace.stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^case ${caseId} · cli-demo v1 · completed`));
    for (const step of ['fetch', 'enrich', 'score', 'archive', 'finish']) {
      assert.ok(lines.some((l) => new RegExp(`^${step}( \\([a-z.]+\\))?\\s+(1|-)\\s+(completed|skipped)\\s+\\+`).test(l)), `a row for ${step}:\n${trace.stdout}`);
    }
    const cases = await baton('cases', '--workflow', 'cli-demo');
    assert.match(cases.stdout, new RegExp(`${caseId}\\s+cli-demo v1\\s+completed`));
    assert.deepEqual(JSON.parse((await baton('tasks', '--json')).stdout), []);
  });

  it('replays a case against its projection: ok while they agree, each difference and exit 1 once the projection is off', async () => {
    const started = await baton('start', 'cli-demo', '--input', '{"n": 1}', '--key', 'cli-replay');
    assert.equal(started.code, 0, started.stderr);
    const caseId = /case ([0-9a-f-]{36})/.exec(started.stdout)![1]!;
    const until = Date.now() + 30000;
    while (Date.now() < until && !/status {4}completed/.test((await baton('case', caseId)).stdout)) await new Promise((r) => setTimeout(r, 200));
    const same = await baton('replay', caseId);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, new RegExp(`^ok ${caseId}: \\d+ events, completed$`, 'm'));
    const pool = new Pool({ connectionString: db.url });
    try {
      await pool.query(`UPDATE case_summary SET status = 'failed' WHERE case_id = $1`, [caseId]);
    } finally {
      await pool.end();
    }
    const off = await baton('replay', caseId);
    assert.equal(off.code, 1, off.stdout + off.stderr);
    assert.match(off.stdout, /^ {2}status: stored "failed", replayed "completed"$/m);
    const range = await baton('replay', '--from', '2000-01-01T00:00:00Z', '--json');
    assert.ok((JSON.parse(range.stdout) as { cases: { caseId: string }[] }).cases.some((c) => c.caseId === caseId), range.stdout);
    const bad = await baton('replay', '--from', 'yesterday');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /from/);
  });

  it('lists stuck cases with the reason and the repair, and repairs one', async () => {
    assert.equal((await baton('workflow', 'register', join(dir, 'hold.yaml'))).code, 0);
    const started = await baton('start', 'cli-hold', '--input', '{"n": 1}', '--json');
    assert.equal(started.code, 0, started.stderr);
    const caseId = JSON.parse(started.stdout).caseId as string;
    const until = Date.now() + 30000;
    while (Date.now() < until && (await loseTimers(db.url, caseId)) === 0) await new Promise((r) => setTimeout(r, 200));
    // The case summary (a projection, a few ms behind) picks the candidates.
    while (Date.now() < until && !(await baton('cases', '--stuck', '--json')).stdout.includes(caseId)) await new Promise((r) => setTimeout(r, 200));
    const stuck = await baton('cases', '--stuck');
    assert.equal(stuck.code, 0, stuck.stderr);
    assert.match(stuck.stdout, new RegExp(`^stuck ${caseId} \\(cli-hold v1, running\\)`, 'm'));
    assert.match(stuck.stdout, /attempt 1 of step 'wait' is running with no timeout timer/);
    assert.match(stuck.stdout, new RegExp(`repair: baton case ${caseId} --repair`));
    const repaired = await baton('case', caseId, '--repair');
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stdout, new RegExp(`^repair requested: case ${caseId}`));
    let after = await baton('cases', '--stuck', '--json');
    while (Date.now() < until + 20000 && JSON.parse(after.stdout).length > 0) {
      await new Promise((r) => setTimeout(r, 200));
      after = await baton('cases', '--stuck', '--json');
    }
    assert.deepEqual(JSON.parse(after.stdout), []);
    assert.equal((await baton('cases', '--stuck')).stdout, 'no stuck cases\n');
  });

  it('pauses, resumes and resets a case, and prints the refusal of a resume of a case not paused', async () => {
    assert.equal((await baton('workflow', 'register', join(dir, 'hold.yaml'))).code, 0);
    const caseId = JSON.parse((await baton('start', 'cli-hold', '--input', '{"n": 3}', '--json')).stdout).caseId as string;
    const until = Date.now() + 30000;
    const shows = async (pattern: RegExp) => {
      let out = '';
      while (Date.now() < until && !pattern.test(out = (await baton('case', caseId)).stdout)) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, pattern);
    };
    await shows(/^status {4}running/m);
    assert.equal((await baton('case', caseId, '--pause', '--resume')).code, 1, 'one control at a time');
    const paused = await baton('case', caseId, '--pause', '--reason', 'audit');
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, new RegExp(`^pause requested: case ${caseId}`));
    await shows(/^status {4}running \(paused by \S+\)/m);
    assert.match((await baton('case', caseId, '--resume')).stdout, new RegExp(`^resume requested: case ${caseId}`));
    await shows(/^status {4}running$/m);
    const refused = await baton('case', caseId, '--resume');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /409|paused/);
    const reset = await baton('case', caseId, '--reset', 'wait', '--reason', 'stale');
    assert.match(reset.stdout, new RegExp(`^reset requested: case ${caseId} from step wait`));
    let trace = '';
    while (Date.now() < until + 10000 && !/reset 1x/.test(trace = (await baton('trace', caseId)).stdout)) await new Promise((r) => setTimeout(r, 200));
    assert.match(trace, /reset 1x/);
    await baton('cancel', caseId, '--reason', 'test over');
  });

  it('prints one clear line per problem and exits 1: an unknown case, a bad input', async () => {
    const missing = await baton('case', 'no-such-case');
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /^Case not found: no case 'no-such-case'/);
    const bad = await baton('start', 'cli-demo', '--input', '{"n":"seven"}');
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'input.n: expected ["null","long"], got "seven"');
    const unreachable = await new Promise<{ code: number; stderr: string }>((done) => execFile(process.execPath, ['-r', '@swc-node/register', 'services/cli/src/main.ts', 'cases'], {
      cwd: root, env: { ...process.env, BATON_URL: 'http://127.0.0.1:9', SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    }, (error, _o, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stderr })));
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^error: cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });

  it('sends a signal to a waiting case: its data becomes the wait step\'s output', async () => {
    writeFileSync(join(dir, 'signal.yaml'), 'name: cli-signal\nversion: 1\ninput: baton.steps.noop.Input\nsteps:\n  w: { wait: { signal: go, timeout: PT60S } }\n  done: { type: noop, needs: [w] }\n');
    assert.equal((await baton('workflow', 'register', join(dir, 'signal.yaml'))).code, 0);
    const started = await baton('start', 'cli-signal', '--input', '{"n": 1}', '--key', 'cli-signal-1');
    const caseId = /case ([0-9a-f-]{36})/.exec(started.stdout)?.[1];
    assert.ok(caseId, started.stdout);
    const events = async (): Promise<{ type: string; data: { stepId?: string; output?: unknown } }[]> => {
      const res = await fetch(`${baseUrl}/cases/${caseId}/events`, { headers: await issuer.headers({ subject: 'cli-test' }) });
      return res.status === 200 ? await res.json() as { type: string; data: { stepId?: string; output?: unknown } }[] : [];
    };
    const until = Date.now() + 30000;
    while (!(await events()).some((e) => e.type === 'StepScheduled' && e.data.stepId === 'w')) {
      assert.ok(Date.now() < until, 'the wait did not start within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const bad = await baton('signal', caseId, 'go', '--data', '{nope');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: --data: not JSON/);
    const sent = await baton('signal', caseId, 'go', '--data', '{"pages": 5}');
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, new RegExp(`^signal go sent: case ${caseId} \\(signal [0-9a-f-]{36}\\)`));
    let all = await events();
    while (!all.some((e) => e.type === 'CaseCompleted')) {
      assert.ok(Date.now() < until + 30000, `the case did not complete: ${all.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
      all = await events();
    }
    assert.deepEqual(all.find((e) => e.type === 'StepCompleted' && e.data.stepId === 'w')?.data.output, { pages: 5 });
  });
});
