import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ApiKeys, DevIssuer } from '@baton/auth';
import { loadContracts, topicNames } from '@baton/contracts';
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';
import { TestStepWorker } from '@baton/step-testing';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase, type TestIssuer } from '@baton/testing';

const queue = 'mx-queue';
const hold = { name: 'mx-hold', version: 1, input: 'baton.steps.noop.Input', steps: { wait: { type: 'noop', timeout: 'PT120S' } } };
const review = {
  name: 'mx-review', version: 1, input: 'baton.steps.noop.Input',
  steps: { classify: { type: 'text.classify', input: "{ 'subject': 's', 'text': 't' }", review: { when: 'true', queue } }, after: { type: 'noop', needs: ['classify'] } },
};
const classified = { label: 'ham', confidence: 0.42, model: 'm', modelVersion: '1' };

/** The callers of the matrix: each a set of request headers. */
type Caller = 'none' | 'expired' | 'badSignature' | 'wrongAudience' | 'revokedKey' | 'viewer' | 'operator' | 'admin' | 'starter' | 'starterOther'
  | 'reviewer' | 'reviewerOther' | 'apiKey' | 'oidc' | 'otherTenant';
const UNAUTHENTICATED: readonly Caller[] = ['none', 'expired', 'badSignature', 'wrongAudience', 'revokedKey'];
/** Every role, so they may call every route: `oidc` in the default tenant, `otherTenant` in another (which must see none of the default tenant's data). */
const EVERYTHING: readonly Caller[] = ['oidc', 'otherTenant'];
const READERS: Caller[] = ['viewer', 'operator', 'admin', 'apiKey'];

/**
 * Who may call each route (besides {@link EVERYTHING}), written here independently of the
 * decorators: a route of the document missing from this table fails the test, so a route added
 * without thinking about its roles is caught.
 */
const ALLOWED: Record<string, readonly Caller[] | 'public'> = {
  'POST /cases': ['starter', 'apiKey'],
  'GET /cases': READERS,
  'GET /cases/stuck': ['operator'],
  'GET /cases/{id}': READERS,
  'GET /cases/{id}/events': READERS,
  'GET /cases/{id}/trace': READERS,
  'POST /cases/{id}/retry': ['operator'],
  'POST /cases/{id}/repair': ['operator'],
  'POST /cases/{id}/cancel': ['operator'],
  'GET /cases/{id}/replay': ['operator'],
  'GET /replay': ['operator'],
  'POST /cases/{id}/signals/{name}': ['operator'],
  'POST /cases/{id}/pause': ['operator'],
  'POST /cases/{id}/resume': ['operator'],
  'POST /cases/{id}/reset': ['operator'],
  'POST /cases/{id}/steps/{stepId}/resolve': ['operator'],
  'GET /limits': READERS,
  'PUT /limits/{stepType}': ['admin'],
  'DELETE /limits/{stepType}': ['admin'],
  'GET /breakers': READERS,
  'GET /schedules': READERS,
  'POST /schedules/{id}/pause': ['admin'],
  'POST /schedules/{id}/unpause': ['admin'],
  'GET /tasks': [...READERS, 'reviewer', 'reviewerOther'],
  'GET /tasks/{id}': [...READERS, 'reviewer'],
  'POST /tasks/{id}/decision': ['reviewer'],
  'GET /tasks/{id}/output-schema': [...READERS, 'reviewer'],
  'POST /tasks/{id}/output/check': ['reviewer'],
  'PUT /workflows': ['admin'],
  'POST /workflows/validate': READERS,
  'GET /workflows': READERS,
  'GET /workflows/{name}': READERS,
  'GET /workflows/{name}/graph': READERS,
  'POST /subjects/{subject}/versions': ['admin'],
  'GET /subjects': READERS,
  'GET /subjects/{subject}/versions': READERS,
  'GET /subjects/{subject}/versions/{version}': READERS,
  'GET /schemas/ids/{id}': READERS,
  'POST /dev-issuer/token': 'public',
  'GET /dev-issuer/jwks.json': 'public',
  'GET /metrics': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
};

/** The observability module's routes: open by the guard's rule (probes and the scrape), not by a decorator. */
const OPEN = ['GET /metrics', 'GET /health/live', 'GET /health/ready'];

interface Operation { 'x-baton-access'?: string; security?: Record<string, string[]>[] }
interface Document { paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, { type: string }> } }

describe('the authorization matrix: every route x every caller, against the real gateway', () => {
  let db: FreshDatabase;
  let orchestrator: ServiceProcess;
  let gateway: ServiceProcess;
  let worker: TestStepWorker;
  let oidcServer: Server;
  let issuer: TestIssuer;
  let base = '';
  const headers = {} as Record<Caller, Record<string, string>>;
  const ids = { holdCase: '', reviewCase: '', task: '' };

  const call = async (method: string, path: string, h: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...h, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  const json = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, headers.oidc, body);
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    return JSON.parse(r.text) as Record<string, unknown> & unknown[];
  };
  const poll = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (const until = Date.now() + 60000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const v = await probe();
      if (v !== undefined) return v;
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  before(async () => {
    db = await freshDatabase('authz');
    const namespace = uniqueName('mx').replace(/[^A-Za-z0-9_-]/g, '');
    const brokers = kafkaBrokers().join(',');
    orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: '0', BATON_TOPIC_NAMESPACE: namespace, BATON_ORCHESTRATOR_GROUP: `${namespace}-orchestrator`, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    await orchestrator.start();
    // An OIDC issuer of the test's own: discovery document and JWKS over HTTP, as a real one serves them.
    const oidcPort = await freePort();
    const oidcUrl = `http://127.0.0.1:${oidcPort}`;
    const oidc = await DevIssuer.open(mkdtempSync(join(tmpdir(), 'baton-oidc-')), oidcUrl);
    oidcServer = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: oidcUrl, jwks_uri: `${oidcUrl}/jwks.json` }));
      else if (req.url === '/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(oidc.jwks));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => oidcServer.listen(oidcPort, '127.0.0.1', r));
    issuer = await devIssuer();
    const port = await freePort();
    gateway = new ServiceProcess('services/gateway/src/main.ts', {
      DATABASE_URL: db.url, KAFKA_BROKERS: brokers, PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, ...issuer.env,
      BATON_OIDC_ISSUER: oidcUrl, BATON_TENANT_CASES_PER_SECOND: '1', BATON_TENANT_CASES_BURST: '20',
    });
    await gateway.start();
    base = `http://127.0.0.1:${port}`;

    const pool = new Pool({ connectionString: db.url, max: 1 });
    const keys = new ApiKeys(pool);
    const key = await keys.create({ tenant: 'default', name: 'crm', roles: ['viewer', 'starter:mx-hold'] });
    const revoked = await keys.create({ tenant: 'default', name: 'old-crm', roles: ['viewer', 'starter:mx-hold', 'admin', 'operator'] });
    await keys.revoke(revoked.keyId);
    await pool.end();
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const valid = await issuer.token({ subject: 'mallory', roles: ['admin', 'operator', 'viewer'] });
    const [h, p, s] = valid.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), roles: ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'] })).toString('base64url');
    Object.assign(headers, {
      none: {},
      expired: bearer(await issuer.token({ subject: 'late', expiresInSeconds: -120 })),
      badSignature: bearer(`${h}.${forged}.${s}`),
      wrongAudience: bearer(await issuer.token({ subject: 'elsewhere', audience: 'another-api' })),
      revokedKey: { 'x-api-key': revoked.key },
      viewer: bearer(await issuer.token({ subject: 'vera', roles: ['viewer'] })),
      operator: bearer(await issuer.token({ subject: 'otto', roles: ['operator'] })),
      admin: bearer(await issuer.token({ subject: 'ada', roles: ['admin'] })),
      starter: bearer(await issuer.token({ subject: 'stan', roles: ['starter:mx-hold'] })),
      starterOther: bearer(await issuer.token({ subject: 'stella', roles: ['starter:elsewhere'] })),
      reviewer: bearer(await issuer.token({ subject: 'rita', roles: [`reviewer:${queue}`] })),
      reviewerOther: bearer(await issuer.token({ subject: 'rob', roles: ['reviewer:other-queue'] })),
      apiKey: { 'x-api-key': key.key },
      oidc: bearer(await oidc.mint({ subject: 'olivia', roles: ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'] })),
      otherTenant: bearer(await issuer.token({ subject: 'globex-admin', tenant: 'globex', roles: ['admin', 'operator', 'viewer', 'starter:*', 'reviewer:*'] })),
    } satisfies Record<Caller, Record<string, string>>);

    const kafka = createKafka({ clientId: `${namespace}-worker`, brokers: kafkaBrokers() });
    const topics = topicNames(namespace);
    await ensureTopics(kafka, topicSpecs(loadTopicPlan(), [topics.step('noop'), topics.step('text.classify')]));
    worker = new TestStepWorker(kafka, loadContracts(), topics, ['noop', 'text.classify'], (r) => {
      if (r.stepId === 'wait') return 'silence';
      return r.stepType === 'text.classify' ? { output: classified } : { output: { ok: true } };
    });
    await worker.start();
    await json('PUT', '/workflows', hold);
    await json('PUT', '/workflows', review);
    ids.holdCase = (await json('POST', '/cases', { workflow: 'mx-hold', key: 'held', input: { n: 1 } })).caseId as string;
    ids.reviewCase = (await json('POST', '/cases', { workflow: 'mx-review', key: 'reviewed', input: { n: 2 } })).caseId as string;
    ids.task = await poll('the review task', async () => {
      const tasks = await json('GET', `/tasks?queue=${queue}`) as unknown as { taskId: string; caseId: string }[];
      return tasks.find((t) => t.caseId === ids.reviewCase)?.taskId;
    });
    await poll('the held case', async () => ((await call('GET', `/cases/${ids.holdCase}`, headers.oidc)).status === 200 ? true : undefined));
  });

  after(async () => {
    await worker?.stop();
    await gateway?.stop();
    await orchestrator?.stop();
    await new Promise((r) => oidcServer?.close(r));
    await db?.drop();
  });

  /** A concrete request for a route of the document: its path parameters filled with the fixtures, a valid body. */
  function request(method: string, route: string): { path: string; body?: unknown } {
    const id = route.startsWith('/tasks/') ? ids.task : route.startsWith('/schemas/') ? '1' : ids.holdCase;
    const path = route.replace('{id}', id).replace('{name}', 'mx-hold').replace('{subject}', 'baton.steps.noop.Input').replace('{version}', '1')
      .replace('{stepType}', 'matrix.limited').replace('{stepId}', 'wait')
      + (route === '/replay' ? `?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}` : '');
    const bodies: Record<string, unknown> = {
      'POST /cases': { workflow: 'mx-hold', key: 'matrix', input: { n: 3 } },
      'POST /cases/{id}/retry': { step: 'wait' },
      'POST /cases/{id}/repair': {},
      'POST /cases/{id}/cancel': { reason: 'matrix' },
      'POST /cases/{id}/signals/{name}': { data: { ok: true } },
      'POST /cases/{id}/pause': { reason: 'matrix' },
      'POST /cases/{id}/resume': {},
      'POST /cases/{id}/reset': { step: 'wait' },
      'POST /cases/{id}/steps/{stepId}/resolve': { action: 'retry' },
      'PUT /limits/{stepType}': { concurrency: 5 },
      'POST /tasks/{id}/decision': { decision: 'approve', comment: 'matrix' },
      'POST /tasks/{id}/output/check': { output: classified },
      'PUT /workflows': hold,
      'POST /workflows/validate': hold,
      'POST /subjects/{subject}/versions': { schema: JSON.stringify({ type: 'record', name: 'Input', namespace: 'baton.steps.noop', fields: [{ name: 'n', type: ['null', 'long'], default: null }] }) },
      'POST /dev-issuer/token': { subject: 'anyone', roles: ['viewer'] },
    };
    const body = bodies[`${method} ${route}`];
    return { path, ...(body !== undefined && { body }) };
  }

  it('every route of the document declares its access and both security schemes, and the table names every route', async () => {
    const doc = JSON.parse((await call('GET', '/docs-json', {})).text) as Document;
    assert.deepEqual(Object.keys(doc.components.securitySchemes ?? {}).sort(), ['apiKey', 'bearer']);
    const operations: string[] = [];
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${route}`;
        operations.push(name);
        if (OPEN.includes(name)) continue;
        assert.ok(op['x-baton-access'], `${name} declares no access requirement (@Requires)`);
        if (op['x-baton-access'] !== 'public') assert.deepEqual(op.security, [{ bearer: [] }, { apiKey: [] }], `${name}: security`);
      }
    }
    assert.deepEqual(operations.sort(), Object.keys(ALLOWED).sort(), 'the matrix table and the document name the same routes');
  });

  it('gives 0 unauthorized 2xx over every route x caller: 401 without a good credential, 403 without the role, and what each role should get', async () => {
    const routes = Object.entries(ALLOWED);
    const callers = Object.keys(headers) as Caller[];
    let cells = 0;
    let unauthorized2xx = 0;
    const wrong: string[] = [];
    // Reads before writes, so the fixtures are still as set up when each read runs.
    const ordered = [...routes].sort(([a], [b]) => Number(!a.startsWith('GET')) - Number(!b.startsWith('GET')));
    for (const [name, allowed] of ordered) {
      const [method, route] = name.split(' ') as [string, string];
      const { path, body } = request(method, route);
      for (const caller of callers) {
        cells += 1;
        const r = await call(method, path, headers[caller], body);
        const may = allowed === 'public' || EVERYTHING.includes(caller) || (!UNAUTHENTICATED.includes(caller) && allowed.includes(caller));
        const expected = may ? 'allowed' : UNAUTHENTICATED.includes(caller) ? 401 : 403;
        const leak = caller === 'otherTenant' && r.status < 300 && [ids.holdCase, ids.reviewCase, ids.task].some((x) => r.text.includes(x));
        if ((!may || leak) && r.status >= 200 && r.status < 300) unauthorized2xx += 1;
        if (leak) wrong.push(`${name} as ${caller}: ${r.status} shows the default tenant's data`);
        else if (expected === 'allowed' ? [401, 403].includes(r.status) || r.status >= 500 : r.status !== expected) wrong.push(`${name} as ${caller}: ${r.status}, expected ${expected} (${r.text.slice(0, 160)})`);
        if (r.status === 401) {
          assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="baton"/, `${name} as ${caller}: WWW-Authenticate`);
          assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        }
        if (caller === 'otherTenant' && /^\/(cases|tasks)\/\{id\}/.test(route) && !r.text.includes('"status":404')) wrong.push(`${name} as otherTenant: ${r.status}, expected 404 (another tenant's case or task)`);
      }
    }
    console.log(`authorization matrix: ${routes.length} routes x ${callers.length} callers = ${cells} requests; unauthorized 2xx: ${unauthorized2xx}`);
    assert.equal(cells, routes.length * callers.length);
    assert.deepEqual(wrong, []);
    assert.equal(unauthorized2xx, 0);
  });

  it('records the principal in the events of an operator action and a review decision', async () => {
    const decided = await poll('the decision', async () => {
      const list = await json('GET', `/cases/${ids.reviewCase}/events`) as unknown as { type: string; data: { principal?: string } }[];
      return list.find((e) => e.type === 'ReviewDecided');
    });
    assert.equal(decided.data.principal, 'rita', 'the reviewer who decided in the matrix');
    const held = await poll('the cancellation', async () => {
      const list = await json('GET', `/cases/${ids.holdCase}/events`) as unknown as { type: string; data: { principal?: string } }[];
      return list.find((e) => e.type === 'CaseCancellationRequested');
    });
    assert.equal(held.data.principal, 'otto', 'the operator who cancelled in the matrix');
  });

  it("keeps each tenant's cases apart: the same key names two cases, and lists show only the caller's own", async () => {
    const mine = await json('POST', '/cases', { workflow: 'mx-hold', key: 'shared-key', input: { n: 4 } });
    const theirs = await call('POST', '/cases', headers.otherTenant, { workflow: 'mx-hold', key: 'shared-key', input: { n: 4 } });
    assert.equal(theirs.status, 202, theirs.text);
    const theirId = (JSON.parse(theirs.text) as { caseId: string; deduplicated: boolean });
    assert.notEqual(theirId.caseId, mine.caseId);
    assert.equal(theirId.deduplicated, false);
    await poll('their case', async () => ((await call('GET', `/cases/${theirId.caseId}`, headers.otherTenant)).status === 200 ? true : undefined));
    assert.equal((await call('GET', `/cases/${theirId.caseId}`, headers.oidc)).status, 404);
    const listed = JSON.parse((await call('GET', '/cases?workflow=mx-hold', headers.otherTenant)).text) as { items: { caseId: string }[] };
    const listedIds = listed.items.map((c) => c.caseId);
    assert.ok(listedIds.includes(theirId.caseId), listedIds.join(','));
    for (const ours of [mine.caseId, ids.holdCase]) assert.ok(!listedIds.includes(ours as string), `another tenant's list shows ${String(ours)}`);
  });

  it('answers 429 with Retry-After once a tenant spent its cases-per-second quota (burst 20, 1 a second)', async () => {
    const quota = { authorization: `Bearer ${await issuer.token({ subject: 'burst', tenant: 'quota', roles: ['starter:mx-hold'] })}` };
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 25; i++) {
      const r = await call('POST', '/cases', quota, { workflow: 'mx-hold', key: 'same', input: { n: 5 } });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after') ?? '';
    }
    assert.ok(statuses.filter((s) => s === 202).length >= 20, statuses.join(','));
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.ok(Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);
  });
});
