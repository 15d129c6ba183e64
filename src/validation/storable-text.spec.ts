import { findUnstorableText, unstorableReason } from './storable-text.js';

describe('unstorableReason', () => {
  it.each([
    ['plain text', 'Ada Lovelace'],
    ['text beyond the Basic Multilingual Plane', 'Ada 😀'],
    ['a variation selector', 'a\ufe0f'],
    ['the empty string', ''],
  ])('accepts %s', (_, text) => {
    expect(unstorableReason(text)).toBeUndefined();
  });

  it.each([
    ['NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800', /surrogate/],
    ['a lone low surrogate', '\udc00a', /surrogate/],
    ['two high surrogates', '\ud800\ud800', /surrogate/],
  ])('refuses %s', (_, text, reason) => {
    expect(unstorableReason(text)).toMatch(reason);
  });
});

describe('findUnstorableText', () => {
  it('names nested fields with dotted paths', () => {
    expect(
      findUnstorableText({ name: 'ok', items: [{ productId: 'ok' }, { productId: 'a\u0000' }] }),
    ).toEqual([{ field: 'items.1.productId', reason: expect.stringMatching(/NUL/) }]);
  });

  it('checks keys and shows them escaped and cut short', () => {
    const key = `\u0000${'k'.repeat(100)}`;
    const [found] = findUnstorableText({ [key]: 1 });
    expect(found.field).toBe(`\\u0000${'k'.repeat(63)}`);
  });

  it('names a top-level string "body"', () => {
    expect(findUnstorableText('\ud800')).toEqual([
      { field: 'body', reason: expect.stringMatching(/surrogate/) },
    ]);
  });

  it('ignores numbers, booleans and null, and stops at the limit', () => {
    expect(findUnstorableText({ a: 1, b: true, c: null, d: [1.5] })).toEqual([]);
    expect(
      findUnstorableText(
        Array.from({ length: 50 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5);
  });

  it('walks values deeper than any call stack without recursion', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toHaveLength(1);
  });
});
