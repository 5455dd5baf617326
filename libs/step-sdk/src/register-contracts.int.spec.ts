import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerContracts } from './register-contracts';
import { StepConfigurationError } from './step-configuration-error';

/** The SDK's side of the contract registry, against a stand-in registry that records what it receives. */
describe('registerContracts', () => {
  let server: Server;
  let url = '';
  let dir = '';
  const received: { path: string; type: string | undefined; body: { schema: string; schemaType: string } }[] = [];
  let refuse = false;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(body) as { schema: string; schemaType: string } });
        if (refuse) {
          res.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 409, detail: 'field baton.steps.crm_sync.Input.owner was added without a default', error_code: 409 }));
        } else res.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end('{"id":1,"version":1,"created":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(join(tmpdir(), 'baton-sdk-contracts-'));
    mkdirSync(join(dir, 'steps', 'crm.sync'), { recursive: true });
    writeFileSync(join(dir, 'steps', 'crm.sync', 'input.avsc'), '{"type":"record","name":"Input","namespace":"baton.steps.crm_sync","fields":[]}');
    writeFileSync(join(dir, 'steps', 'crm.sync', 'output.avsc'), '{"type":"record","name":"Output","namespace":"baton.steps.crm_sync","fields":[]}');
  });

  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("posts each of the team's step contracts to /subjects/<full name>/versions, the file's text as the schema", async () => {
    const names = await registerContracts(url, dir, ['crm.sync', 'noop']);
    assert.deepEqual(names, ['baton.steps.crm_sync.Input', 'baton.steps.crm_sync.Output']);
    assert.deepEqual(received.map((r) => r.path), ['/subjects/baton.steps.crm_sync.Input/versions', '/subjects/baton.steps.crm_sync.Output/versions']);
    assert.equal(received[0]!.type, 'application/vnd.schemaregistry.v1+json');
    assert.equal(JSON.parse(received[0]!.body.schema).name, 'Input');
    assert.equal(received[0]!.body.schemaType, 'AVRO');
  });

  it("stops the start with the registry's reason, naming the field, when a version is refused", async () => {
    refuse = true;
    await assert.rejects(registerContracts(url, dir, ['crm.sync']),
      (e: unknown) => e instanceof StepConfigurationError && /HTTP 409.*field baton\.steps\.crm_sync\.Input\.owner was added without a default/.test(e.message));
  });

  it('says which registry it could not reach', async () => {
    await assert.rejects(registerContracts('http://127.0.0.1:1', dir, ['crm.sync']), /registering the contract baton\.steps\.crm_sync\.Input at http:\/\/127\.0\.0\.1:1/);
  });
});
