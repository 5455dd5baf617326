import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import { httpClient } from '../testing/http';

const root = resolve(__dirname, '../../../..');

/** The YAML of services/gateway/README.md, "Schedules". */
const reportYaml = `
name: gw-report
version: 1
triggers:
  - id: weekdays
    cron: "0 9 * * MON-FRI"
    timezone: Europe/Berlin
    input: { n: 1 }
steps:
  report: { type: noop }
`;

describe('schedules over HTTP and the CLI (orchestrator, gateway, Kafka, Postgres)', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let http: ReturnType<typeof httpClient>;
  let authHeaders: Record<string, string> = {};

  function baton(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((done) => {
      execFile(process.execPath, ['-r', '@swc-node/register', 'services/cli/src/main.ts', ...args], {
        cwd: root, env: { ...process.env, BATON_URL: http.base, BATON_TOKEN: (authHeaders.authorization ?? '').replace(/^Bearer /, ''), SWC_NODE_PROJECT: join(root, 'tsconfig.json'), NO_COLOR: '1' },
      }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
  }

  before(async () => {
    db = await freshDatabase('schedules-gw');
    const namespace = uniqueName('sgw').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace, BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    await orchestrator.start();
    const port = await freePort();
    const issuer = await devIssuer();
    authHeaders = await issuer.headers({ subject: 'schedules-test' });
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env });
    await gateway.start();
    http = httpClient(`http://127.0.0.1:${port}`, authHeaders);
  });

  after(async () => {
    await gateway?.stop();
    await orchestrator?.stop();
    await db?.drop();
  });

  it('lists a registered workflow\'s cron trigger, pauses and unpauses it, and names an unknown one', async () => {
    const registered = await http.put('/workflows', reportYaml, { 'content-type': 'text/yaml' });
    assert.equal(registered.status, 201, registered.text);
    // The orchestrator's schedule loop syncs the schedules from the registry every 5 s.
    let listed: { id: string; paused: boolean; cron: string; timezone: string; nextFireAt: string }[] = [];
    for (let i = 0; i < 150 && listed.length === 0; i++) {
      listed = (await http.get('/schedules')).body.schedules;
      if (listed.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(listed.length, 1);
    const [s] = listed;
    assert.deepEqual({ id: s!.id, cron: s!.cron, timezone: s!.timezone, paused: s!.paused }, { id: 'gw-report:weekdays', cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin', paused: false });
    const next = new Date(s!.nextFireAt);
    assert.ok(next.getTime() > Date.now(), s!.nextFireAt);
    assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(next), '09:00');

    const table = await baton('schedules');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /gw-report:weekdays\s+0 9 \* \* MON-FRI \(Europe\/Berlin\)\s+active/);
    const paused = await baton('schedule', 'gw-report:weekdays', '--pause');
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, /schedule gw-report:weekdays paused/);
    assert.equal((await http.get('/schedules')).body.schedules[0].paused, true);

    const unpaused = await http.post('/schedules/gw-report:weekdays/unpause');
    assert.equal(unpaused.status, 200, unpaused.text);
    assert.equal(unpaused.body.paused, false);

    const unknown = await http.post('/schedules/nope:0/pause');
    assert.equal(unknown.status, 404, unknown.text);
    assert.match(unknown.contentType, /^application\/problem\+json/);
    assert.match(unknown.body.detail, /no schedule 'nope:0'/);
    const neither = await baton('schedule', 'gw-report:weekdays');
    assert.notEqual(neither.code, 0);
    assert.match(neither.stderr, /--pause or --unpause/);
  });
});
