import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';

const root = resolve(__dirname, '../..');
const here = 'examples/onboarding-steps';

/** Runs a TypeScript entry of the repository; resolves with its exit code and output. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
      cwd: root, env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json'), NO_COLOR: '1', ...env },
    }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

describe('a step team deploys a new step type on its own, to a running orchestrator and gateway', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let steps: ServiceProcess | undefined;
  let baseUrl = '';
  let namespace = '';
  let dir = '';
  let token = '';
  const baton = (...args: string[]) => run('services/cli/src/main.ts', args, { BATON_URL: baseUrl, BATON_TOKEN: token });
  const http = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': type }) }, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
  };

  before(async () => {
    db = await freshDatabase('onboarding');
    namespace = uniqueName('onb').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace,
      BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000',
      BATON_CONTRACT_POLL_MS: '600000', // a poll must not be what teaches it: the look-up on a miss must
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    token = await issuer.token({ subject: 'onboarding-ci' });
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, BATON_CONTRACT_POLL_MS: '600000', ...issuer.env });
    await gateway.start();
    baseUrl = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'baton-onboarding-'));
  });

  after(async () => {
    await steps?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses, in both validate commands and in registration, a step type no contract names, naming the field', async () => {
    const file = join(root, here, 'workflows/onboarding.yaml');
    const cli = await baton('workflow', 'validate', file);
    assert.equal(cli.code, 1, cli.stdout);
    assert.match(cli.stderr, /steps\.welcome\.type/);
    assert.match(cli.stderr, /user\.welcome.*neither in the built-in contracts\/schemas\/steps this process loaded at start nor in the contract registry/);
    const offline = await baton('workflow', 'validate', '--offline', file);
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /contracts not checked/);
    const op = await run('services/orchestrator/src/cli.ts', ['workflow', 'validate', file], { DATABASE_URL: db.url });
    assert.equal(op.code, 1, op.stdout);
    assert.match(op.stderr, /welcome.*type|type.*user\.welcome/);
    const put = await http('PUT', '/workflows', readFileSync(file, 'utf8'), 'text/yaml');
    assert.equal(put.status, 400);
    assert.deepEqual((put.body.errors as { field: string }[]).map((e) => e.field), ['input', 'steps.welcome.type']);
  });

  it('a step service started after the orchestrator, with a step type it has never seen, completes a case of a workflow registered after it', async () => {
    // CI publishes the workflow's input record; the step service publishes its own step contracts when it starts.
    const ci = await baton('contracts', 'register', join(root, here, 'contracts/onboarding'));
    assert.equal(ci.code, 0, ci.stderr);
    assert.match(ci.stdout, /registered: examples\.onboarding\.NewUser version 1/);
    // The step service publishes with an API key an operator created for it (stored hashed; printed once).
    const created = await run('services/orchestrator/src/cli.ts', ['api-key', 'create', '--tenant', 'default', '--name', 'onboarding-steps', '--roles', 'admin'], { DATABASE_URL: db.url });
    assert.equal(created.code, 0, created.stderr);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const healthPort = await freePort();
    steps = new ServiceProcess(`${here}/src/main.ts`, {
      KAFKA_BROKERS: kafkaBrokers().join(','), BATON_TOPIC_NAMESPACE: namespace, PORT: String(healthPort), BATON_REGISTRY_URL: baseUrl, BATON_REGISTRY_API_KEY: key,
      BATON_KAFKA_SESSION_TIMEOUT_MS: '6000', SWC_NODE_PROJECT: join(root, here, 'tsconfig.json'),
    }, { url: `http://127.0.0.1:${healthPort}/health/ready` });
    await steps.start();
    const subjects = await http('GET', '/subjects');
    assert.deepEqual(subjects.body, ['baton.steps.user_welcome.Input', 'baton.steps.user_welcome.Output', 'examples.onboarding.NewUser']);

    const file = join(root, here, 'workflows/onboarding.yaml');
    const validated = await baton('workflow', 'validate', file);
    assert.equal(validated.code, 0, validated.stderr);
    const op = await run('services/orchestrator/src/cli.ts', ['workflow', 'validate', file], { DATABASE_URL: db.url });
    assert.equal(op.code, 0, op.stderr);
    const put = await http('PUT', '/workflows', readFileSync(file, 'utf8'), 'text/yaml');
    assert.equal(put.status, 201, JSON.stringify(put.body));

    const started = await http('POST', '/cases', { workflow: 'onboarding', key: 'ada', input: { email: 'ada@example.com', name: 'Ada', plan: 'pro' } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const caseId = started.body.caseId as string;
    let status = '';
    const until = Date.now() + 60000;
    while (Date.now() < until && status !== 'completed' && status !== 'failed') {
      const c = await http('GET', `/cases/${caseId}`);
      status = c.status === 200 ? (c.body.summary as { status: string }).status : '';
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 'completed', `${orchestrator.log.slice(-2000)}\n${steps.log.slice(-2000)}`);
    const events = await http('GET', `/cases/${caseId}/events`);
    const list = (Array.isArray(events.body) ? events.body : (events.body as { events: unknown[] }).events) as { type: string; data: { output?: unknown } }[];
    assert.deepEqual(list.find((e) => e.type === 'StepCompleted')?.data.output, { message: 'Welcome aboard, Ada!', sentTo: 'ada@example.com' });
  });

  it('refuses through the registry a version that breaks an earlier one, naming the field, and accepts a compatible one', async () => {
    const subject = 'examples.compat.Thing';
    const v = (fields: object[]) => ({ schema: JSON.stringify({ type: 'record', name: 'Thing', namespace: 'examples.compat', fields }) });
    const post = (body: object) => http('POST', `/subjects/${subject}/versions`, body, 'application/vnd.schemaregistry.v1+json');
    assert.equal((await post(v([{ name: 'x', type: 'int' }]))).status, 200);
    const bad = await post(v([{ name: 'x', type: 'int' }, { name: 'y', type: 'string' }]));
    assert.equal(bad.status, 409);
    assert.equal(bad.body.error_code, 409);
    assert.match(String(bad.body.detail), /field examples\.compat\.Thing\.y was added without a default/);
    const good = await post(v([{ name: 'x', type: 'int' }, { name: 'y', type: 'string', default: '' }]));
    assert.equal(good.status, 200);
    assert.equal(good.body.version, 2);
    // Transitive: compatible with version 2 (which x is missing from), not with version 1.
    assert.equal((await post(v([{ name: 'y', type: 'string', default: '' }]))).status, 200);
    const back = await post(v([{ name: 'x', type: 'string', default: '' }, { name: 'y', type: 'string', default: '' }]));
    assert.equal(back.status, 409);
    assert.match(String(back.body.detail), /version 1: field examples\.compat\.Thing\.x: type changed from "int" to "string"/);
    const latest = await http('GET', `/subjects/${subject}/versions/latest`);
    assert.equal(latest.body.version, 3);
    assert.deepEqual((await http('GET', `/subjects/${subject}/versions`)).body, [1, 2, 3]);
    const byId = await http('GET', `/schemas/ids/${latest.body.id as number}`);
    assert.equal(byId.body.schema, latest.body.schema);
    assert.equal((await http('GET', '/subjects/examples.compat.Thing/versions/99999999999')).status, 400);
    const reserved = await http('POST', '/subjects/baton.v1.StepRequest/versions', { schema: JSON.stringify({ type: 'record', name: 'StepRequest', namespace: 'baton.v1', fields: [] }) });
    assert.equal(reserved.status, 400);
    assert.match(String(reserved.body.detail), /baton\.v1 holds Baton's built-in contracts/);
  });
});
