import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { HTTP_SCHEMAS, type REQUEST_BODIES } from '@baton/http-contract';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';

const root = resolve(__dirname, '../../../..');

/** The edge rules of issue 16: integers within int4, one media-type rule, 405 with Allow, and a document that states them. */
describe('the gateway edge: one validation of ids, names and integers, one media-type rule, 405, and the document', () => {
  let db: FreshDatabase;
  let gateway: ServiceProcess;
  let base = '';
  let auth: Record<string, string> = {};
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...auth, ...(body !== undefined && { 'content-type': type }) }, ...(body !== undefined && { body }) });
    const text = await res.text();
    return { status: res.status, allow: res.headers.get('allow'), body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as { errors?: { field: string }[]; detail?: string } };
  };
  /** A bodyless request through node:http (fetch refuses TRACE). */
  const raw = (method: string, path: string) => new Promise<{ status: number; allow: string | undefined }>((done, fail) => {
    request(`${base}${path}`, { method, headers: auth }, (res) => { res.resume(); res.on('end', () => done({ status: res.statusCode ?? 0, allow: res.headers.allow })); }).on('error', fail).end();
  });
  const field = (r: { body: { errors?: { field: string }[] } }) => r.body.errors?.map((e) => e.field);

  before(async () => {
    db = await freshDatabase('edge');
    const port = await freePort();
    const issuer = await devIssuer();
    auth = await issuer.headers({ subject: 'edge-test' });
    const namespace = uniqueName('edge').replace(/[^A-Za-z0-9_-]/g, '');
    gateway = new ServiceProcess('services/gateway/src/main.ts', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), PORT: String(port), BATON_TOPIC_NAMESPACE: namespace, BATON_MIGRATE: 'true', ...issuer.env });
    await gateway.start();
    base = `http://127.0.0.1:${port}`;
    const put = await call('PUT', '/workflows', readFileSync(join(root, 'services/triage-steps/workflows/inbox-triage.yaml'), 'utf8'), 'text/yaml');
    assert.equal(put.status, 201, JSON.stringify(put.body));
  });

  after(async () => {
    await gateway?.stop();
    await db?.drop();
  });

  it('answers 400 naming the field for every input that reached a 500 (issue 16, section 2)', async () => {
    const big = await call('POST', '/cases', JSON.stringify({ workflow: 'inbox-triage', version: 378555370070, input: {} }));
    assert.deepEqual([big.status, field(big)], [400, ['version']]);
    const q = await call('GET', '/workflows/inbox-triage?version=99999999999');
    assert.deepEqual([q.status, field(q)], [400, ['version']]);
    for (const [path, name] of [['/workflows/%00', 'name'], ['/workflows/%00/graph', 'name'], ['/cases/%00', 'id'], ['/cases?workflow=%00', 'workflow']] as const) {
      const r = await call('GET', path);
      assert.deepEqual([r.status, field(r)], [400, [name]], path);
    }
    assert.equal(gateway.log.includes('"level":"error"'), false, 'no request failed inside');
  });

  it('accepts what the document calls an integer and refuses, as the document says, what is below its minimum', async () => {
    assert.equal((await call('GET', '/cases?limit=1.0&status=new')).status, 200);
    assert.equal((await call('GET', '/tasks?limit=2.0')).status, 200);
    assert.equal((await call('GET', '/workflows/inbox-triage?version=1.0')).status, 200);
    for (const path of ['/cases?limit=0.0&status=new', '/tasks?limit=0.0', '/workflows/inbox-triage?version=0.0']) assert.equal((await call('GET', path)).status, 400, path);
  });

  it('states in the OpenAPI document the constraints the server checks', async () => {
    const doc = (await call('GET', '/docs-json')).body as unknown as { paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>>; components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> } };
    const s = doc.components.schemas;
    assert.equal(s.StartCaseRequest!.properties.key!.minLength, 1);
    assert.equal(s.StartCaseRequest!.properties.version!.maximum, 2147483647);
    assert.equal(s.StartCaseRequest!.properties.version!.format, 'int32');
    assert.equal(s.WorkflowDefinition!.properties.steps!.minProperties, 1);
    assert.equal(s.RetryRequest!.properties.step!.minLength, 1);
    const version = doc.paths['/workflows/{name}']!.get!.parameters!.find((p) => p.name === 'version')!;
    assert.deepEqual([version.schema.minimum, version.schema.maximum], [1, 2147483647]);
    assert.ok(doc.paths['/subjects/{subject}/versions']?.post, 'the contract registry is documented');
  });

  it('answers 405 with Allow for a method a path does not take, and 404 for a path no route has', async () => {
    const trace = await raw('TRACE', '/cases');
    assert.deepEqual([trace.status, trace.allow], [405, 'GET, HEAD, POST']);
    const del = await call('DELETE', '/workflows/inbox-triage');
    assert.deepEqual([del.status, del.allow], [405, 'GET, HEAD']);
    assert.deepEqual(await raw('PATCH', '/workflows'), { status: 405, allow: 'GET, HEAD, PUT' });
    assert.equal((await raw('TRACE', '/nowhere')).status, 404);
  });

  it('refuses a body in a media type the route does not read with 415, on every route alike', async () => {
    assert.equal((await call('POST', '/cases', 'hello', 'text/plain')).status, 415);
    assert.equal((await call('PUT', '/workflows', 'hello', 'text/plain')).status, 415);
    assert.equal((await call('POST', '/cases', 'a: 1', 'text/yaml')).status, 415);
    assert.equal((await call('POST', '/tasks/x/decision', 'decision=approve', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await call('POST', '/cases', '{"workflow":"inbox-triage","key":"","input":{}}')).status, 400);
  });

  it('validates each request body with the schema the document publishes for it: a body that schema refuses is a 400 naming the field', async () => {
    const doc = (await call('GET', '/docs-json')).body as unknown as Document;
    const definition = { name: 'edge-probe', version: 1, steps: { a: { type: 'noop' } } };
    const routes: Record<keyof typeof REQUEST_BODIES | 'WorkflowDefinition', [string, string, string, Record<string, unknown>?]> = {
      StartCaseRequest: ['POST', '/cases', '/cases'],
      RetryRequest: ['POST', '/cases/{id}/retry', '/cases/no-such-case/retry'],
      CancelRequest: ['POST', '/cases/{id}/cancel', '/cases/no-such-case/cancel'],
      RepairRequest: ['POST', '/cases/{id}/repair', '/cases/no-such-case/repair'],
      SignalRequest: ['POST', '/cases/{id}/signals/{name}', '/cases/no-such-case/signals/go'],
      PauseRequest: ['POST', '/cases/{id}/pause', '/cases/no-such-case/pause'],
      ResumeRequest: ['POST', '/cases/{id}/resume', '/cases/no-such-case/resume'],
      ResetRequest: ['POST', '/cases/{id}/reset', '/cases/no-such-case/reset'],
      DecisionRequest: ['POST', '/tasks/{id}/decision', '/tasks/no-such-task/decision'],
      RegisterSchemaRequest: ['POST', '/subjects/{subject}/versions', '/subjects/baton.edge.Probe/versions', { schema: JSON.stringify({ type: 'record', name: 'Probe', namespace: 'baton.edge', fields: [] }) }],
      WorkflowDefinition: ['POST', '/workflows/validate', '/workflows/validate', definition],
      LimitsRequest: ['PUT', '/limits/{stepType}', '/limits/edge.probe'],
      ResolveStepRequest: ['POST', '/cases/{id}/steps/{stepId}/resolve', '/cases/no-such-case/steps/a/resolve'],
      DevTokenRequest: ['POST', '/dev-issuer/token', '/dev-issuer/token', { subject: 'edge', roles: ['viewer'] }],
    };
    const ajv = new Ajv({ allErrors: true, keywords: ['example'] });
    addFormats(ajv);
    for (const [name, [method, route, path, given]] of Object.entries(routes)) {
      const schema = doc.components.schemas[name]!;
      assert.deepEqual(schema, JSON.parse(JSON.stringify(HTTP_SCHEMAS[name as keyof typeof HTTP_SCHEMAS])), `${name}: the document holds the contract's schema`);
      const body = doc.paths[route]![method.toLowerCase()]!.requestBody!.content;
      assert.ok(Object.values(body).some((c) => c.schema.$ref === `#/components/schemas/${name}`), `${method} ${route} refers to ${name}`);
      const validate = ajv.compile(schema);
      const valid = given ?? minimalBody(schema);
      assert.ok(validate(valid), `${name}: the sample body is valid`);
      const ok = await call(method, path, JSON.stringify(valid));
      assert.notEqual(ok.status, 400, `${name}: a body the schema accepts passes the edge (${JSON.stringify(ok.body)})`);
      const refused = refusedBodies(schema, valid);
      assert.ok(refused.length >= Object.keys(schema.properties).length, name);
      for (const { field: f, body: bad } of refused) {
        assert.equal(validate(bad), false, `${name}: the schema refuses ${JSON.stringify(bad)}`);
        const r = await call(method, path, JSON.stringify(bad));
        assert.deepEqual([r.status, field(r)], [400, [f]], `${name}: ${JSON.stringify(bad)}`);
      }
    }
  });
});

interface Schema {
  type?: string; properties: Record<string, Schema>; required?: string[]; enum?: string[];
  minimum?: number; maximum?: number; maxLength?: number; minLength?: number; pattern?: string; minProperties?: number;
}
interface Document {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** The smallest body a schema accepts: its required properties with a value of their type. */
function minimalBody(schema: Schema): Record<string, unknown> {
  return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties[k]!)]));
}

function sample(p: Schema): unknown {
  if (p.enum) return p.enum[0];
  return p.type === 'integer' ? (p.minimum ?? 1) : p.type === 'object' ? {} : 'x';
}

/** Bodies the schema refuses, one field wrong in each: every required field missing, and every field of the wrong type or out of its bounds. */
function refusedBodies(schema: Schema, valid: Record<string, unknown>): { field: string; body: unknown }[] {
  const out: { field: string; body: unknown }[] = [];
  for (const k of schema.required ?? []) {
    const { [k]: _gone, ...rest } = valid;
    out.push({ field: k, body: rest });
  }
  for (const [k, p] of Object.entries(schema.properties)) {
    if (p.type === undefined && p.enum === undefined) continue; // any JSON (a signal's data): no value to refuse
    const wrong: unknown[] = p.enum ? ['nope'] : p.type === 'integer' ? ['7', 1.5, (p.minimum ?? 1) - 1, (p.maximum ?? 2 ** 31) + 1] : p.type === 'object' ? ['text', [1]] : [7];
    if (p.type === 'string' && (p.minLength !== undefined || p.pattern !== undefined)) wrong.push(' ');
    if (p.maxLength !== undefined) wrong.push('x'.repeat(p.maxLength + 1));
    if (p.minProperties !== undefined) wrong.push({});
    for (const w of wrong) out.push({ field: k, body: { ...valid, [k]: w } });
  }
  return out;
}
