import { isNestedDeeperThan } from './json-depth.js';

describe('isNestedDeeperThan', () => {
  const arrays = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('counts arrays and objects alike', () => {
    expect(isNestedDeeperThan(arrays(3), 3)).toBe(false);
    expect(isNestedDeeperThan(arrays(4), 3)).toBe(true);
    expect(isNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(isNestedDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
  });

  it('measures the deepest point, not the number of brackets', () => {
    expect(isNestedDeeperThan(JSON.stringify(Array.from({ length: 1000 }, () => [[1]])), 3)).toBe(
      false,
    );
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(isNestedDeeperThan(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\"' }), 1)).toBe(
      false,
    );
    expect(isNestedDeeperThan(JSON.stringify(['\\', [[1]]]), 2)).toBe(true);
  });

  it('stops at the first level too deep, in time independent of the rest of the body', () => {
    const hostile = arrays(250_000);
    const started = performance.now();
    expect(isNestedDeeperThan(hostile, 32)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20);
  });
});
