import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';

const root = resolve(__dirname, '../../../..');

/** The `st` executable tools/schemathesis-tools.sh installs (PyPI, pinned), or why there is none. */
function schemathesis(): { st?: string; why?: string } {
  try {
    return { st: execFileSync('bash', [join(root, 'tools/schemathesis-tools.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim() };
  } catch (error) {
    return { why: `schemathesis could not be installed (tools/schemathesis-tools.sh: ${(error as Error).message.split('\n')[0]})` };
  }
}
const tool = schemathesis();

/**
 * Schemathesis (property-based tests generated from the OpenAPI document) against the real
 * gateway, authenticated with an every-role token: every operation, examples, coverage and fuzzed
 * inputs; the one check that matters here is `not_a_server_error` (0 responses 5xx).
 */
describe('schemathesis against the OpenAPI document: no server errors', { skip: tool.why ?? false }, () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let base = '';
  let token = '';

  before(async () => {
    db = await freshDatabase('schemathesis');
    const namespace = uniqueName('st').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace, BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator` });
    await orchestrator.start();
    const issuer = await devIssuer();
    token = await issuer.token({ subject: 'schemathesis' });
    const port = await freePort();
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env, BATON_TENANT_CASES_BURST: '100000' });
    await gateway.start();
    base = `http://127.0.0.1:${port}`;
    const put = await fetch(`${base}/workflows`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, body: readFileSync(join(root, 'services/triage-steps/workflows/inbox-triage.yaml'), 'utf8') });
    assert.ok(put.status < 300, await put.text());
  });

  after(async () => {
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
  });

  it('finds 0 server errors over every operation', { timeout: 900_000 }, async () => {
    const reports = join(root, 'tmp', 'schemathesis');
    mkdirSync(reports, { recursive: true });
    const junit = join(reports, 'junit.xml');
    const args = ['run', `${base}/docs-json`, '--checks', 'not_a_server_error', '--header', `Authorization: Bearer ${token}`,
      '--max-examples', process.env.BATON_SCHEMATHESIS_EXAMPLES ?? '15', '--seed', '11', '--request-timeout', '30', '--report', 'junit', '--report-junit-path', junit, '--no-color'];
    const result = await new Promise<{ code: number; out: string }>((done) => {
      execFile(tool.st!, args, { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } }, (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` }));
    });
    const xml = readFileSync(junit, 'utf8');
    const operations = (xml.match(/<testcase /g) ?? []).length;
    const failures = (xml.match(/<failure/g) ?? []).length;
    const serverErrors = (gateway.log.match(/"level":"error"[^\n]*failed:/g) ?? []).length;
    const summary = result.out.split('\n').filter((l) => /passed|failed|errors?|operations|test cases/i.test(l)).slice(-8).join('\n');
    console.log(`schemathesis: ${operations} operations, ${failures} failing, ${serverErrors} server errors logged by the gateway\n${summary}`);
    assert.ok(operations >= 25, `schemathesis tested ${operations} operations`);
    assert.equal(serverErrors, 0, gateway.log.split('\n').filter((l) => l.includes('"level":"error"')).slice(0, 5).join('\n'));
    assert.equal(failures, 0, result.out.slice(-6000));
    assert.equal(result.code, 0, result.out.slice(-6000));
  });
});
