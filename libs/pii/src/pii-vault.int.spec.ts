import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LocalFileKeySource } from './local-file-key-source';
import { encryptPii, PII_READ_PERMISSION, piiPaths, revealPii } from './pii-fields';
import { PiiDecryptionError, PiiVault, REDACTED } from './pii-vault';

const dir = mkdtempSync(join(tmpdir(), 'baton-pii-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const lead = {
  type: 'record', name: 'Lead', fields: [
    { name: 'company', type: 'string' },
    { name: 'contact', type: { type: 'record', name: 'Contact', fields: [{ name: 'name', type: 'string', pii: true }, { name: 'email', type: ['null', 'string'], pii: true }] } },
    { name: 'cc', type: { type: 'array', items: 'Contact' } },
  ],
};

describe('PII envelope encryption with the local file key source', () => {
  const keys = new LocalFileKeySource(join(dir, 'keys'));
  const vault = new PiiVault(keys);

  it('encrypts a value so that its text is nowhere in the token or the key files, and decrypts it for its subject', async () => {
    const canary = `canary-${randomUUID()}`;
    const token = await vault.encrypt('case-1', canary);
    assert.match(token, /^pii:v1:[A-Za-z0-9_-]+$/);
    assert.ok(!token.includes(canary));
    assert.notEqual(await vault.encrypt('case-1', canary), token, 'a fresh IV each time');
    assert.equal(await vault.decrypt('case-1', token), canary);
    assert.equal(await new PiiVault(keys).decrypt('case-1', token), canary, 'another process with the same key source');
    for (const f of readdirSync(join(dir, 'keys', 'subjects'))) assert.ok(!readFileSync(join(dir, 'keys', 'subjects', f), 'utf8').includes('case-1'), 'file names and contents name no subject');
  });

  it("refuses a token moved to another subject, or altered", async () => {
    const token = await vault.encrypt('case-1', 'alice@example.com');
    await vault.encrypt('case-2', 'x');
    await assert.rejects(vault.decrypt('case-2', token), PiiDecryptionError);
    const altered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    await assert.rejects(vault.decrypt('case-1', altered), PiiDecryptionError);
  });

  it('crypto-shreds a subject: its tokens read as redacted, for every reader, while other subjects stay readable', async () => {
    const token = await vault.encrypt('case-3', 'Bob Example');
    const other = await vault.encrypt('case-4', 'Carol Example');
    assert.equal(await vault.shred('case-3'), true);
    assert.equal(await vault.decrypt('case-3', token), REDACTED);
    assert.equal(await new PiiVault(keys).decrypt('case-3', token), REDACTED);
    assert.equal(await vault.decrypt('case-4', other), 'Carol Example');
    assert.equal(await vault.shred('case-3'), false, 'shredding twice finds nothing');
  });

  it('rotates the KEK: a rewrapped data key no longer needs the old KEK, and old tokens still decrypt', async () => {
    const token = await vault.encrypt('case-5', 'dave@example.com');
    const id = keys.rotateKek();
    assert.equal(id, 'kek-2');
    assert.equal(await vault.rewrap('case-5'), 'kek-2');
    const file = JSON.parse(readFileSync(join(dir, 'keys', 'keks.json'), 'utf8'));
    delete file.keys['kek-1'];
    writeFileSync(join(dir, 'keys', 'keks.json'), JSON.stringify(file));
    assert.equal(await new PiiVault(keys).decrypt('case-5', token), 'dave@example.com');
    await assert.rejects(new PiiVault(keys).decrypt('case-1', await vault.encrypt('case-1', 'y')), PiiDecryptionError, 'a data key still under the deleted KEK cannot be unwrapped');
  });
});

describe('fields marked "pii": true in an Avro schema', () => {
  const vault = new PiiVault(new LocalFileKeySource(join(dir, 'fields')));

  it('finds the real PII of the inbox-triage and lead contracts: the raw email, its sender and recipients, the contact', () => {
    const avsc = (path: string) => JSON.parse(readFileSync(join(__dirname, '../../..', path), 'utf8'));
    assert.deepEqual(piiPaths(avsc('contracts/schemas/examples/InboxMessage.avsc')), [['raw']]);
    assert.deepEqual(piiPaths(avsc('contracts/schemas/steps/email.parse/output.avsc')), [['from'], ['to']]);
    assert.deepEqual(piiPaths(avsc('services/lead-steps/contracts/lead/Lead.avsc')), [['contactName'], ['contactEmail']]);
  });

  it('finds the marked fields through nested records, unions and arrays of a named type', () => {
    assert.deepEqual(piiPaths(lead), [['contact', 'name'], ['contact', 'email'], ['cc', '[]', 'name'], ['cc', '[]', 'email']]);
  });

  it('encrypts only the marked fields, and shows them in clear only with pii:read', async () => {
    const canary = `canary-${randomUUID()}`;
    const value = { company: 'Acme', contact: { name: canary, email: null }, cc: [{ name: 'Eve', email: 'eve@example.com' }] };
    const paths = piiPaths(lead);
    const stored = await encryptPii(vault, 'case-9', paths, value) as typeof value;
    assert.equal(stored.company, 'Acme');
    assert.equal(stored.contact.email, null);
    assert.ok(!JSON.stringify(stored).includes(canary) && !JSON.stringify(stored).includes('eve@example.com'));
    assert.deepEqual(await encryptPii(vault, 'case-9', paths, stored), stored, 'encrypting twice changes nothing');
    assert.deepEqual(await revealPii(vault, 'case-9', paths, stored, [PII_READ_PERMISSION]), value);
    assert.deepEqual(await revealPii(vault, 'case-9', paths, stored, []), { company: 'Acme', contact: { name: REDACTED, email: null }, cc: [{ name: REDACTED, email: REDACTED }] });
  });

  it('encrypts each address of a marked array of strings', async () => {
    const parsed = { subject: 'hi', from: 'frank@example.com', to: ['grace@example.com', 'heidi@example.com'] };
    const paths = [['from'], ['to']];
    const stored = await encryptPii(vault, 'case-10', paths, parsed) as typeof parsed;
    assert.equal(stored.to.length, 2);
    assert.ok(!JSON.stringify(stored).includes('@example.com'));
    assert.deepEqual(await revealPii(vault, 'case-10', paths, stored, [PII_READ_PERMISSION]), parsed);
  });
});
