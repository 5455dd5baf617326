import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_DIR, MODEL_META_FILE_NAME } from '../classify/model-files';
import { corpusSplit, heldOutCorpus, idsDigest, loadCorpus, trainingCorpus } from './corpus';
import { splitOf, splitPoint } from './split';

const meta = JSON.parse(readFileSync(join(MODEL_DIR, MODEL_META_FILE_NAME), 'utf8')) as {
  split: { corpus: number; train: { total: number; idsSha256: string }; heldOut: { total: number; idsSha256: string } };
};

test('the split of a message depends only on its id and is the same on every call', () => {
  assert.equal(splitOf('easy-ham-1/00001'), splitOf('easy-ham-1/00001'));
  assert.equal(splitPoint('spam-2/00042'), splitPoint('spam-2/00042'));
  // Pinned: a change of the salt or the rule reshuffles the split and must come with a retrained model.
  assert.equal(splitOf('easy-ham-1/00001'), 'train');
  const p = splitPoint('easy-ham-1/00001');
  assert.ok(p >= 0 && p < 1);
});

test('the training and held-out sides are disjoint, cover the corpus and are about 60/40', () => {
  const corpus = loadCorpus();
  const train = corpusSplit('train', corpus);
  const heldOut = corpusSplit('heldout', corpus);
  const trainIds = new Set(train.map((m) => m.id));
  assert.equal(heldOut.filter((m) => trainIds.has(m.id)).length, 0);
  assert.equal(train.length + heldOut.length, corpus.length);
  assert.equal(new Set(corpus.map((m) => m.id)).size, corpus.length);
  const share = train.length / corpus.length;
  assert.ok(share > 0.57 && share < 0.63, `training share ${share}`);
  for (const label of ['spam', 'ham'] as const) {
    assert.ok(heldOut.some((m) => m.label === label), `held out has ${label}`);
  }
});

test('heldOutCorpus and trainingCorpus return the same messages on every call, and the ones the committed model was split on', () => {
  const heldOut = heldOutCorpus();
  const again = heldOutCorpus();
  assert.deepEqual(heldOut.map((m) => m.id), again.map((m) => m.id));
  const train = trainingCorpus();
  assert.equal(heldOut.length, meta.split.heldOut.total);
  assert.equal(train.length, meta.split.train.total);
  assert.equal(idsDigest(heldOut), meta.split.heldOut.idsSha256);
  assert.equal(idsDigest(train), meta.split.train.idsSha256);
  assert.ok(heldOut.every((m) => typeof m.raw === 'string' && m.raw.length > 0 && (m.label === 'spam' || m.label === 'ham')));
  assert.ok(heldOut.every((m) => (m.label === 'spam') === m.group.startsWith('spam')));
});
