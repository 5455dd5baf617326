import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { can, DevIssuer, InvalidCredentials, localIssuer, parseRoles, TokenVerifier, type Principal } from './index';

const dir = () => mkdtempSync(join(tmpdir(), 'baton-auth-'));

describe('tokens', () => {
  it('verifies a development token to its principal, and refuses expired, foreign, tampered and wrong-audience ones, saying why', async () => {
    const issuer = await DevIssuer.open(dir());
    const verifier = new TokenVerifier([localIssuer(issuer.issuer, 'baton', issuer.jwks)]);
    const p = await verifier.principal(await issuer.mint({ subject: 'ann', tenant: 'acme', roles: ['viewer', 'reviewer:triage'] }));
    assert.deepEqual(p, { subject: 'ann', tenant: 'acme', roles: ['viewer', 'reviewer:triage'], via: 'token' });
    assert.equal((await verifier.principal(await issuer.mint({ subject: 'bo', roles: [] }))).tenant, 'default');
    const refused = async (token: string, why: RegExp) => assert.rejects(verifier.principal(token), (e: unknown) => e instanceof InvalidCredentials && why.test(e.message));
    await refused(await issuer.mint({ subject: 'ann', roles: ['viewer'], expiresInSeconds: -60 }), /expired/);
    await refused(await issuer.mint({ subject: 'ann', roles: ['viewer'], audience: 'other' }), /aud/);
    await refused(await (await DevIssuer.open(dir())).mint({ subject: 'eve', roles: ['admin'] }), /signature/);
    await refused(await (await DevIssuer.open(dir(), 'https://elsewhere')).mint({ subject: 'eve', roles: ['admin'] }), /not trusted/);
    const [h, , s] = (await issuer.mint({ subject: 'eve', roles: ['viewer'] })).split('.');
    await refused(`${h}.${Buffer.from(JSON.stringify({ iss: issuer.issuer, sub: 'eve', aud: 'baton', roles: ['admin'], exp: 9e9 })).toString('base64url')}.${s}`, /signature/);
    await refused('not-a-jwt', /not a JWT/);
  });

  it('keeps one key pair per directory, so the gateway and a client opening it at once agree', async () => {
    const d = dir();
    const [a, b] = await Promise.all([DevIssuer.open(d), DevIssuer.open(d)]);
    assert.deepEqual(a.jwks, b.jwks);
    assert.equal('d' in a.jwks.keys[0]!, false, 'the public set holds no private part');
  });
});

describe('roles', () => {
  const p = (...roles: string[]): Principal => ({ subject: 's', tenant: 't', roles, via: 'token' });
  it('reads roles from an array or a space/comma separated claim', () => {
    assert.deepEqual(parseRoles(['viewer', 3, '']), ['viewer']);
    assert.deepEqual(parseRoles('viewer, starter:x  admin'), ['viewer', 'starter:x', 'admin']);
    assert.deepEqual(parseRoles(undefined), []);
  });
  it('scopes starters to workflows and reviewers to queues; operator and admin read', () => {
    assert.equal(can.start(p('starter:a'), 'a'), true);
    assert.equal(can.start(p('starter:a'), 'b'), false);
    assert.equal(can.start(p('starter:*'), 'b'), true);
    assert.equal(can.review(p('reviewer:q'), 'q'), true);
    assert.equal(can.review(p('reviewer:q'), 'r'), false);
    assert.deepEqual(can.reviewQueues(p('reviewer:q', 'reviewer:r')), ['q', 'r']);
    assert.equal(can.read(p('operator')), true);
    assert.equal(can.read(p('starter:*')), false);
    assert.equal(can.operate(p('admin')), false);
    assert.equal(can.administer(p('operator')), false);
  });
});
