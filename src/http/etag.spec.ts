import { etagFor, expectedVersion, matchesAny } from './etag.js';

describe('ETags', () => {
  it('derives a strong tag from the version', () => {
    expect(etagFor(3)).toBe('"3"');
  });

  it.each([
    ['"3"', true],
    ['W/"3"', true],
    ['"1", "3"', true],
    ['*', true],
    ['"4"', false],
    [undefined, false],
  ])('If-None-Match %s matches "3": %s', (header, expected) => {
    expect(matchesAny(header, '"3"')).toBe(expected);
  });

  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"7"', 7],
    ['W/"7"', 7],
    ['7', -1],
    ['"seven"', -1],
    ['"1", "2"', -1],
  ])('If-Match %s expects version %s', (header, expected) => {
    expect(expectedVersion(header)).toBe(expected);
  });
});
