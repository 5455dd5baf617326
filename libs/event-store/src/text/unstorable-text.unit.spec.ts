import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findUnstorableText } from './unstorable-text';

describe('findUnstorableText', () => {
  it('names the path of a NUL inside a nested string, an array item and a property name', () => {
    assert.equal(findUnstorableText({ input: { raw: 'a\u0000b' } })?.path, 'input.raw');
    assert.match(findUnstorableText({ input: { raw: 'a\u0000b' } })?.problem ?? '', /NUL character \(U\+0000\) at index 1/);
    assert.equal(findUnstorableText({ tags: ['ok', 'x\u0000'] })?.path, 'tags.1');
    assert.equal(findUnstorableText({ input: { 'a\u0000': 1 } })?.path, 'input.a\\u0000');
    assert.equal(findUnstorableText('\u0000', 'key')?.path, 'key');
  });

  it('refuses lone surrogates and accepts paired ones, other text and bytes', () => {
    assert.match(findUnstorableText({ s: 'x\uD800' })?.problem ?? '', /lone UTF-16 surrogate \(U\+D800\)/);
    assert.equal(findUnstorableText({ s: 'x\uDC00y' })?.path, 's');
    assert.equal(findUnstorableText({ s: '😀 é 中', b: Buffer.from([0]), n: 1, z: null }), undefined);
  });
});
