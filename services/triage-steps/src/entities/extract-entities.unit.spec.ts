import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../corpus/corpus';
import { parseEmail } from '../parse/parse-email';
import { MAX_ENTITIES, extractEntities, textEntities } from './extract-entities';

test('people, organizations, dates and money are found in a crafted sentence', async () => {
  const e = await textEntities({ text: 'John Smith of Microsoft will pay $500 to Acme Corp on March 3rd, 2024 and again next Friday. Mary Jones agreed.' });
  assert.deepEqual(e.people, ['John Smith', 'Mary Jones']);
  assert.deepEqual(e.organizations, ['Microsoft', 'Acme Corp']);
  assert.ok(e.dates.includes('March 3rd, 2024'), JSON.stringify(e.dates));
  assert.ok(e.dates.includes('next Friday'), JSON.stringify(e.dates));
  assert.deepEqual(e.money, ['$500']);
});

test('the people and organization of a real ham message are found, quoted lines left out', async () => {
  const m = loadCorpus().find((x) => x.id === 'easy-ham-1/00005')!;
  const p = await parseEmail({ raw: m.raw });
  const e = extractEntities(p.text);
  assert.ok(e.people.includes('Stewart Smith'), JSON.stringify(e));
  assert.ok(e.organizations.some((o) => /University of Edinburgh/.test(o)), JSON.stringify(e));
});

test('entities are deduplicated case-insensitively and each list is capped', () => {
  const names = Array.from({ length: 30 }, (_, i) => `Mr. ${String.fromCharCode(65 + (i % 26))}${'abcdefghij'[i % 10]}son Walker${i}`);
  const e = extractEntities(`${names.join(' met ')}. Pay $5 and $5 and $5 to IBM and ibm.`);
  assert.ok(e.people.length <= MAX_ENTITIES);
  assert.deepEqual(e.money, ['$5']);
  assert.ok(e.organizations.filter((o) => o.toLowerCase() === 'ibm').length <= 1);
});

test('an empty text has no entities', async () => {
  assert.deepEqual(await textEntities({ text: '' }), { people: [], organizations: [], dates: [], money: [] });
});
